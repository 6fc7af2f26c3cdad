using System.Text.RegularExpressions;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>The shell blocks (<c>```sh</c>) of one README section, in order: what the README walk-through tests run as written.</summary>
internal static partial class ReadmeSection
{
    public static List<string> ShellBlocks(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(Cli.Root, "README.md"));
        var start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section {heading}");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        return [.. ShellBlock().Matches(readme[start..(end < 0 ? readme.Length : end)]).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
