using System.Diagnostics;

namespace Funnel.Reporting.Tests.Browser;

/// <summary>Runs Debian's Chromium headless (installed by .ci/run: apt-get install chromium) with a fresh profile.</summary>
internal static class HeadlessChromium
{
    public static string Executable =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
        ?? throw new InvalidOperationException("Chromium is not installed: run 'apt-get install -y chromium' (as .ci/run does), or set CHROMIUM_PATH.");

    public static byte[] Screenshot(string file, int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("funnel-chromium-");
        var png = Path.Combine(profile.FullName, "shot.png");
        try
        {
            Run(profile.FullName, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(file).AbsoluteUri);
            return File.Exists(png) ? File.ReadAllBytes(png) : throw new InvalidOperationException("Chromium wrote no screenshot.");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    public static string DumpDom(string file)
    {
        var profile = Directory.CreateTempSubdirectory("funnel-chromium-");
        try
        {
            return Run(profile.FullName, "--dump-dom", new Uri(file).AbsoluteUri);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Run(string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
                 }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 90 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Chromium exited with {process.ExitCode}: {errors.Result}");
        }

        return output.Result;
    }
}
