using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>The chain's hash is the documented one (docs/store.md), so anyone can recompute it without the monitor.</summary>
public sealed class AuditChainTests
{
    [Fact]
    public void A_rows_hash_is_sha256_of_its_length_prefixed_columns_and_the_previous_hash_as_docs_store_md_says()
    {
        var row = new AuditRow(12, "2026-03-02T08:00:00.0000000Z", "官员-王", "officer", "dismiss", "al-1", null, "x:y");
        var written = "2:12" + "28:2026-03-02T08:00:00.0000000Z" + "10:官员-王" + "7:officer" + "7:dismiss" + "4:al-1" + "~" + "3:x:y" + "64:" + AuditChain.Genesis;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(written))), AuditChain.Hash(row, AuditChain.Genesis));
        Assert.Equal(new string('0', 64), AuditChain.Genesis);
    }

    [Fact]
    public void Moving_text_between_columns_changes_the_hash()
    {
        var a = new AuditRow(1, "t", "ab", "c", "x", "y", null, null);
        var b = new AuditRow(1, "t", "a", "bc", "x", "y", null, null);
        var empty = new AuditRow(1, "t", "a", "b", "x", "y", "", null);
        var missing = new AuditRow(1, "t", "a", "b", "x", "y", null, null);
        Assert.NotEqual(AuditChain.Hash(a, AuditChain.Genesis), AuditChain.Hash(b, AuditChain.Genesis));
        Assert.NotEqual(AuditChain.Hash(empty, AuditChain.Genesis), AuditChain.Hash(missing, AuditChain.Genesis));
    }

    [Fact]
    public void An_empty_log_with_its_genesis_head_is_intact_and_a_log_without_its_head_is_not()
    {
        Assert.True(AuditChain.Verify([], (0, AuditChain.Genesis)).Intact);
        var row = new AuditRow(1, "t", "a", "b", "x", "y", null, null);
        var chained = row with { Prev = AuditChain.Genesis, Hash = AuditChain.Hash(row, AuditChain.Genesis) };
        Assert.True(AuditChain.Verify([chained], (1, chained.Hash!)).Intact);
        var headless = AuditChain.Verify([chained], null);
        Assert.False(headless.Intact);
        Assert.Contains("chain head is missing", headless.FirstBroken!.Reason);
    }
}
