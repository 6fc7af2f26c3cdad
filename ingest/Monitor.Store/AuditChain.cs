using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Monitor.Store;

/// <summary>
/// The hash chain that makes the audit log tamper-evident (docs/store.md): each row carries the SHA-256 of its
/// own columns and of the previous row's hash, so an edited, inserted or deleted row no longer fits. The
/// triggers keep honest mistakes out; the chain makes any change that got past them visible. Pure: both the
/// store (when it appends and verifies) and the tests compute the same hashes.
/// </summary>
public static class AuditChain
{
    /// <summary>The <c>prev</c> of the first row: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// The row's hash: lowercase hex SHA-256 over its columns <c>seq, at, actor, role, action, target, reason,
    /// detail, prev</c> in that order, each written as its UTF-8 byte length in decimal, a colon and the bytes
    /// (<c>5:hello</c>), a null column as a single <c>~</c>. The length prefix makes the encoding unambiguous:
    /// no two different rows give the same bytes.
    /// </summary>
    public static string Hash(AuditRow row, string prev)
    {
        var b = new StringBuilder();
        foreach (var field in (string?[])[row.Seq.ToString(CultureInfo.InvariantCulture), row.At, row.Actor, row.Role, row.Action, row.Target, row.Reason, row.Detail, prev])
        {
            if (field is null) b.Append('~');
            else b.Append(Encoding.UTF8.GetByteCount(field).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b.ToString())));
    }

    /// <summary>
    /// How the detail of a row appended while the chain head was missing begins. Deleting the last rows with the
    /// head, then letting the monitor append, would otherwise leave a chain that checks out; the row says it.
    /// </summary>
    public const string HeadLost = "the chain head was missing when this row was appended";

    /// <summary>
    /// Walks the rows in sequence order and stops at the first that does not fit: no hash, a <c>prev</c> that is
    /// not the previous row's hash (a row before it was deleted, or it was inserted), a hash that does not match
    /// its columns (edited or forged); then checks the last row against the chain head the store keeps (rows
    /// deleted at the end, or appended by someone else), and a row appended after the head went missing. <paramref name="head"/> is null when the store has none.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditRow> rows, (long Seq, string Hash)? head)
    {
        var expectedPrev = Genesis;
        long previousSeq = 0, count = 0;
        AuditBreak? broken = null;
        foreach (var row in rows)
        {
            count++;
            if (broken is not null) continue;
            if (row.Hash is null)
                broken = new(row.Seq, $"row {row.Seq} has no hash: the monitor did not write it");
            else if (head is { } h && row.Seq > h.Seq)
                broken = new(row.Seq, $"row {row.Seq} comes after the chain head (row {h.Seq}): the monitor did not write it");
            else if (row.Prev != expectedPrev)
                broken = new(row.Seq, previousSeq == 0
                    ? $"row {row.Seq} should start the chain but its prev is not the genesis value: rows before it were deleted, or it was inserted"
                    : $"row {row.Seq}'s prev is not the hash of row {previousSeq}: a row between them was deleted, or it was inserted");
            else if (Hash(row, row.Prev) != row.Hash)
                broken = new(row.Seq, $"row {row.Seq}'s columns do not match its hash: it was edited, or forged");
            else if (row.Detail?.StartsWith(HeadLost, StringComparison.Ordinal) == true)
                broken = new(row.Seq, $"row {row.Seq} was appended while the chain head was missing: rows after row {previousSeq} may have been deleted with it");
            expectedPrev = row.Hash ?? "";
            previousSeq = row.Seq;
        }
        if (broken is null && head is { } last && (last.Seq != previousSeq || last.Hash != (previousSeq == 0 ? Genesis : expectedPrev)))
        {
            broken = last.Seq > previousSeq
                ? new(last.Seq, previousSeq == 0
                    ? $"the log is empty but the chain head is row {last.Seq}: rows were deleted"
                    : $"the log ends at row {previousSeq} but the chain head is row {last.Seq}: rows at the end were deleted")
                : new(previousSeq, $"row {previousSeq} is not the chain head the monitor wrote last: it was replaced");
        }
        else if (broken is null && head is null && count > 0)
        {
            broken = new(previousSeq, "the chain head is missing: it was deleted");
        }
        return new AuditVerification(broken is null, count, broken, broken is null ? (previousSeq == 0 ? Genesis : expectedPrev) : null);
    }
}
