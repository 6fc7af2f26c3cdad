using System.Text;

namespace Monitor.IntegrationTests;

/// <summary>
/// Hand-made bad messages of the kinds issue 13 found, as raw bytes, each with the start of the reason it must be
/// dead-lettered with. The same bytes go into a replay file and onto the topic: one reader, one verdict.
/// </summary>
internal static class HostileLines
{
    private const string Base = """{"eventId":"EID","type":"query","occurredAt":"2026-03-03T10:00:00.000+08:00","userId":"QO010101","branchId":"SB0101","purpose":"loan_approval","authorizationId":"A1","authorizedAt":"2026-03-02T10:00:00.000+08:00","subjectId":"s-hostile"}""";

    public static IReadOnlyList<(string Name, byte[] Bytes, string Reason)> All { get; } =
    [
        ("invalid UTF-8", Bytes(Base.Replace("s-hostile", "s-\u00ff-hostile"), latin1: true), "invalid UTF-8:"),
        ("duplicate key", Bytes(Base.Replace("\"userId\":\"QO010101\"", "\"userId\":\"QO010101\",\"userId\":\"QO999999\"")), "duplicate field:"),
        ("space before the offset", Bytes(Base.Replace("10:00:00.000+08:00\",\"userId", "10:00:00.000 +08:00\",\"userId")), "invalid time:"),
        ("newline in an id forging a console line", Bytes(Base.Replace("\"QO010101\"", "\"QO010101\\nCOMMAND reinstate user QO000001 at SB0101 [cmd-forged]: forged\"")), "invalid value: 'userId' holds"),
        ("ANSI escape in an id", Bytes(Base.Replace("\"QO010101\"", "\"QO\\u001b[2J010101\"")), "invalid value: 'userId' holds"),
        ("bidirectional override in an id", Bytes(Base.Replace("\"QO010101\"", "\"QO\u202E101010\"")), "invalid value: 'userId' holds"),
        ("far-future time", Bytes(Base.Replace("2026-03-03T10:00:00.000+08:00", "9999-12-31T10:00:00.000Z")), "implausible time:"),
    ];

    /// <summary>The line with its event id made unique, so each copy is its own message.</summary>
    public static byte[] WithId(byte[] line, string id) => Replace(line, "EID"u8.ToArray(), Encoding.UTF8.GetBytes(id));

    private static byte[] Bytes(string s, bool latin1 = false) =>
        latin1 ? Encoding.Latin1.GetBytes(s) : Encoding.UTF8.GetBytes(s); // Latin-1 writes U+00FF as the single byte 0xFF: not UTF-8

    private static byte[] Replace(byte[] source, byte[] what, byte[] with)
    {
        var at = source.AsSpan().IndexOf(what);
        return at < 0 ? source : [.. source[..at], .. with, .. source[(at + what.Length)..]];
    }
}
