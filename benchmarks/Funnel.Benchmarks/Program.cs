using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Funnel.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Funnel.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    /// <remarks>The build of the generated project gets 10 minutes instead of 2: on a busy two-core machine it takes longer.</remarks>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
}
