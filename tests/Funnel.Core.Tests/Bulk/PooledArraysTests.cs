using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// <see cref="PooledArrays"/>: the bulk engine's rented buffers go back to the shared pool up to 32 MiB (so repeated
/// analyses of logs of a few million events reuse mapped memory), and larger ones are left to the garbage collector
/// (so the pool does not keep hundreds of megabytes for the rest of the process).
/// </summary>
public sealed class PooledArraysTests
{
    [Fact]
    public void IsPooled_UpTo32MiB_AndNotOneElementMore()
    {
        Assert.True(PooledArrays.IsPooled<uint>(1 << 23));
        Assert.False(PooledArrays.IsPooled<uint>((1 << 23) + 1));
        Assert.True(PooledArrays.IsPooled<long>(1 << 22));
        Assert.False(PooledArrays.IsPooled<long>((1 << 22) + 1));
        Assert.True(PooledArrays.IsPooled<byte>(0));
        Assert.False(PooledArrays.IsPooled<long>(int.MaxValue));
    }

    [Fact]
    public void Analyze_TwiceOnTheSameLog_GivesEqualReports()
    {
        // The second analysis reuses the first one's pooled buffers: no duration or record of the first may leak in.
        var log = TransitionLogGenerator.Generate(30_000, seed: 5);
        var analyzer = new TransitionAnalyzer(new FunnelShape(TransitionLogGenerator.StageCount, TransitionLogGenerator.StageCount - 1, TransitionLogGenerator.LossReasonCount), TimeSpan.FromDays(30));

        Assert.Equal(analyzer.Analyze(log), analyzer.Analyze(log));
    }
}
