using Microsoft.Playwright;

namespace Funnel.Samples.WebCrm.Tests.Browser;

/// <summary>
/// Launches the machine's Chromium (Debian's <c>chromium</c> package, which eng/test.sh installs when missing) through
/// Playwright. Playwright's own browser download is never used: it cannot reach its CDN here, and the test should run
/// the browser users of the sample have. A missing browser fails the test with what to install; it never skips.
/// </summary>
internal static class SystemChromium
{
    /// <summary>Gets the browser: <c>CHROMIUM_PATH</c> when set, else the usual Debian/Ubuntu paths.</summary>
    public static string Executable =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
        ?? throw new InvalidOperationException(
            "Chromium is not installed: run 'apt-get install -y chromium' (bash eng/test.sh does it when run as root), or set CHROMIUM_PATH to a Chromium or Chrome binary.");

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = ["--no-sandbox"],
            Timeout = 60_000,
        });
}
