using Microsoft.Playwright;

namespace Monitor.IntegrationTests;

/// <summary>
/// Debian's Chromium for Playwright: Playwright cannot download its own browser here, so it is pointed at the
/// package's binary (<c>./test.sh</c> installs <c>chromium</c>) and, as root, run without the sandbox. Screenshots
/// go with the test results (<c>.test-results/screenshots/</c>).
/// </summary>
internal static class Browser
{
    public static BrowserTypeLaunchOptions Options()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: ./test.sh installs Debian's chromium package");
        return new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = Environment.UserName == "root" ? ["--no-sandbox"] : [] };
    }

    /// <summary>Where a screenshot named <paramref name="name"/> is kept.</summary>
    public static string Screenshot(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Cli.Root, ".test-results", "screenshots")).FullName;
        return Path.Combine(dir, name);
    }
}
