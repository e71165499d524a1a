using System.Diagnostics;
using System.Reflection;

namespace Funnel.Cli.Tests;

/// <summary>The result of one run of the tool: exit code, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    private static readonly string ToolPath = Metadata("FunnelCliPath");

    /// <summary>Gets the path of a built program passed in as assembly metadata by the test project.</summary>
    public static string Metadata(string key) => typeof(CliRun).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    /// <summary>Runs <c>dotnet funnel.dll args</c> in <paramref name="workingDirectory"/> and waits for it (at most 60 s).</summary>
    public static CliRun Start(string workingDirectory, params string[] args) => StartProgram(ToolPath, workingDirectory, args);

    /// <summary>Runs <c>dotnet funnel.dll args</c> with <paramref name="environment"/> added to the tool's environment.</summary>
    public static CliRun Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartProgram(ToolPath, workingDirectory, environment, args);

    /// <summary>Runs <c>dotnet program args</c> in <paramref name="workingDirectory"/> and waits for it (at most 60 s).</summary>
    public static CliRun StartProgram(string program, string workingDirectory, params string[] args) =>
        StartProgram(program, workingDirectory, new Dictionary<string, string>(), args);

    private static CliRun StartProgram(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        Assert.True(File.Exists(program), $"The program is not built at {program}.");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"funnel {string.Join(' ', args)} did not finish in 60 s.");
        }

        return new CliRun(process.ExitCode, output.Result, error.Result);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
