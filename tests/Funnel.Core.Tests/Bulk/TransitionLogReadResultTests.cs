using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogReadResultTests
{
    [Fact]
    public void Create_CountsAddUp_KeepsEverything()
    {
        var entities = new EntityInterner<string>(StringComparer.Ordinal);
        var segments = new EntityInterner<string>(StringComparer.Ordinal);
        var result = new TransitionLogReadResult(TransitionLog.Empty, entities, segments, [new TransitionLogRowError(0, "stage", "unknown stage 'x'")], 1);

        Assert.Equal((1L, 0L, 1L, false), (result.RowsRead, result.RowsKept, result.RowsRejected, result.IsClean));
        Assert.Equal("row 0, column stage: unknown stage 'x'", result.Errors[0].ToString());
    }

    [Fact]
    public void Create_RowsReadNotKeptPlusRejected_Throws()
    {
        var keys = new EntityInterner<string>(StringComparer.Ordinal);

        Assert.Throws<ArgumentException>("rowsRead", () => new TransitionLogReadResult(TransitionLog.Empty, keys, keys, [], 2));
        Assert.Throws<ArgumentOutOfRangeException>("rowIndex", () => new TransitionLogRowError(-1, "stage", "x"));
        Assert.Throws<ArgumentException>("column", () => new TransitionLogRowError(0, " ", "x"));
    }
}
