using System.Text.RegularExpressions;
using Monitor.Contracts;
using Xunit;

namespace Monitor.Contracts.Tests;

/// <summary>What docs/contract.md shows a bank's integrator is what the monitor accepts.</summary>
public sealed partial class DocumentedExamplesTests
{
    [Fact]
    public void Every_event_example_in_the_contract_parses()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var doc = File.ReadAllText(Path.Combine(root, "docs", "contract.md"));
        var examples = JsonBlock().Matches(doc).SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Select(l => l.Trim()).Where(l => l.StartsWith('{') && l.Contains("\"eventId\"", StringComparison.Ordinal)).ToList();

        Assert.Contains(examples, e => e.Contains("\"type\":\"register\"", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Contains("\"type\":\"employee\"", StringComparison.Ordinal));
        Assert.All(examples, e => Assert.True(EventJson.TryParse(e, out _, out var reason), $"{reason}: {e}"));
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
