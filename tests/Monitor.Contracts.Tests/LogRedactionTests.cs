using Xunit;

namespace Monitor.Contracts.Tests;

public sealed class LogRedactionTests
{
    [Fact]
    public void Subject_ids_in_explanations_are_replaced_by_a_stable_short_token()
    {
        const string text = "user Q1 read the credit report of subject S9f3a77c1 3 times within 24 h; latest subject S9f3a77c1, other subject Sb0b0";
        var redacted = LogRedaction.Subjects(text);
        Assert.DoesNotContain("S9f3a77c1", redacted);
        Assert.DoesNotContain("Sb0b0", redacted);
        var tokens = System.Text.RegularExpressions.Regex.Matches(redacted, @"subject ~([0-9a-f]{8})").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, tokens.Count);
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[0], tokens[2]);
        Assert.Equal(redacted, LogRedaction.Subjects(redacted));
        Assert.StartsWith("user Q1 read the credit report of subject ~", redacted);
    }

    [Fact]
    public void Text_without_subjects_is_unchanged() =>
        Assert.Equal("administrator account UA0101 read a credit report", LogRedaction.Subjects("administrator account UA0101 read a credit report"));
}
