using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Monitor.IntegrationTests;

/// <summary>One malformed message: what kind it is (for the failure report) and its bytes.</summary>
public sealed record Malformed(string Kind, byte[] Bytes)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Kind}: {(text.Length > 100 ? text[..100] + $"… ({Bytes.Length} bytes)" : text)}";
    }
}

/// <summary>Malformed messages put into a good stream: each with where it goes, as a fraction of the stream.</summary>
public sealed record MalformedMix(IReadOnlyList<(double At, Malformed Message)> Items)
{
    public override string ToString() => string.Join("\n", Items.Select(i => $"@{i.At:F3} {i.Message}"));
}

/// <summary>
/// The generators of the fuzzing tests: every kind of malformed message issue 13 names, and then some: random
/// bytes, huge lines, deep nesting, JSON that is not an object, and valid-looking events with one thing wrong
/// (bad times of every sort, wrong types, unknown or duplicate or missing fields, unknown values, control and
/// invisible characters in ids, invalid UTF-8, over-long ids, times far ahead of the stream). Each is built to be
/// refused; the property is that it is, with a reason, and that it changes nothing else.
/// </summary>
public static class MalformedArbitraries
{
    /// <summary>The good stream's last event time: "far ahead" times are measured from it.</summary>
    public static DateTimeOffset StreamEnd { get; set; } = new(2026, 3, 6, 0, 0, 0, TimeSpan.FromHours(8));

    private const string Template = """{"eventId":"fuzz-ID","type":"query","occurredAt":"2026-03-02T10:00:00.000+08:00","userId":"QFUZZ01","branchId":"SB0101","parentBranchId":"BR0100","terminalId":"T-FUZZ","subjectId":"s-fuzz","subjectType":"individual","purpose":"post_loan_management","channel":"counter"}""";

    public static Arbitrary<MalformedMix> Mix() => Arb.From(
        from n in Gen.Choose(1, 12)
        from items in Gen.ListOf(Gen.Zip(Gen.Choose(0, 10_000).Select(i => i / 10_000.0), Message()), n)
        select new MalformedMix([.. items.Select(t => (t.Item1, t.Item2))]));

    public static Gen<Malformed> Message() => Gen.Frequency(
        (2, RandomBytes()),
        (1, Huge()),
        (1, Deep()),
        (1, Gen.Elements("null", "0", "\"event\"", "[]", "true", "{}", "[{}]", " ", "{", "}", "{\"eventId\":").Select(s => new Malformed("not an event", Bytes(s)))),
        (8, Mutated()));

    private static Gen<Malformed> RandomBytes() =>
        from length in Gen.Choose(1, 300)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)(b is '\n' or '\r' ? 'x' : b)), length)
        select new Malformed("random bytes", bytes);

    private static Gen<Malformed> Huge() =>
        from size in Gen.Choose(70_000, 400_000)
        select new Malformed("huge line", Bytes(Template.Replace("s-fuzz", new string('x', size))));

    private static Gen<Malformed> Deep() =>
        from depth in Gen.Choose(65, 20_000)
        from obj in Gen.Elements(true, false)
        select new Malformed($"nested {depth} deep", Bytes(obj
            ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
            : new string('[', depth) + new string(']', depth)));

    private static Gen<Malformed> Mutated() =>
        from id in Gen.Choose(0, 1_000_000)
        from m in Gen.OneOf(BadTime(), WrongType(), BadField(), BadValue(), HiddenCharacter(), InvalidUtf8(), LongId(), FarAhead(), BadSyntax())
        select m with { Bytes = Replace(m.Bytes, "fuzz-ID", $"fuzz-{id}") };

    /// <summary>Times no reader may take: not the contract's form, or no such instant.</summary>
    private static readonly string[] Unreadable =
    [
        "2026-03-02T10:00:00.000", "2026-03-02T10:00:00.000 +08:00", "2026-03-02 10:00:00+08:00", "2026-03-02", "", "2026-02-30T10:00:00+08:00",
        "2026-03-02T10:00:00+25:00", "2026-03-02T24:00:00Z", "2026-03-02T10:00:00.000+08:00 ", "2026-03-02t10:00:00Z", "2026-03-02T10:00:00.000+0800",
        "+002026-03-02T10:00:00Z", "2026-03-02T10:00:00.99999999999999999999Z9", "１９７０-01-01T00:00:00Z", "2026-W10-1T10:00:00Z", "1772416800",
        "2026-03-02T10:00:00.000+14:30", "2026-03-02T10:00:00.000-14:01", "2026-03-02T10:00:00.000+99:99",
    ];

    /// <summary>Readable instants no event of this stream can have happened at (an authorization may be that old, an event not).</summary>
    private static readonly string[] Implausible = ["9999-12-31T10:00:00.000Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z"];

    private static Gen<Malformed> BadTime() =>
        from field in Gen.Elements("occurredAt", "authorizedAt")
        from t in Gen.Elements([.. Unreadable, .. field == "occurredAt" ? Implausible : []])
        select new Malformed($"bad {field} '{t}'", Bytes(field == "occurredAt"
            ? Template.Replace("2026-03-02T10:00:00.000+08:00", t)
            : Template.Replace("\"purpose\":\"post_loan_management\"", $"\"purpose\":\"loan_approval\",\"authorizationId\":\"A1\",\"authorizedAt\":\"{t}\"")));

    private static Gen<Malformed> WrongType() =>
        from field in Gen.Elements("userId", "branchId", "eventId", "occurredAt", "subjectId")
        from value in Gen.Elements([.. new[] { "42", "{}", "[\"x\"]", "true", "1e400" }, .. field is "subjectId" ? Array.Empty<string>() : ["null"]])
        select new Malformed($"{field} as {value}", Bytes(System.Text.RegularExpressions.Regex.Replace(Template, $"\"{field}\":\"[^\"]*\"", $"\"{field}\":{value}")));

    private static Gen<Malformed> BadField() => Gen.Elements(
        new Malformed("unknown field", Bytes(Template.Replace("\"channel\"", "\"authorisationId\":\"A1\",\"channel\""))),
        new Malformed("duplicate userId", Bytes(Template.Replace("\"branchId\"", "\"userId\":\"QFUZZ02\",\"branchId\""))),
        new Malformed("duplicate eventId", Bytes(Template.Replace("\"type\"", "\"eventId\":\"other\",\"type\""))),
        new Malformed("missing branchId", Bytes(Template.Replace("\"branchId\":\"SB0101\",", ""))),
        new Malformed("missing purpose", Bytes(Template.Replace(",\"purpose\":\"post_loan_management\"", ""))),
        new Malformed("empty userId", Bytes(Template.Replace("\"QFUZZ01\"", "\"  \""))));

    private static Gen<Malformed> BadValue() =>
        from v in Gen.Elements(("type", "querry"), ("purpose", "Loan_Approval"), ("channel", "fax"), ("subjectType", ""), ("type", "query "))
        select new Malformed($"{v.Item1} '{v.Item2}'", Bytes(System.Text.RegularExpressions.Regex.Replace(Template, $"\"{v.Item1}\":\"[^\"]*\"", $"\"{v.Item1}\":\"{v.Item2}\"")));

    private static Gen<Malformed> HiddenCharacter() =>
        from c in Gen.Elements("\\n", "\\r", "\\u0000", "\\u001b[31m", "\\u202e", "\\u200b", "\\u2028", "\\ufeff", "\\u0085", "\\t", "\\u2066", "\\udb40\\udc01", "\\ufe0f", "\\u034f", "\\u3164")
        from field in Gen.Elements("QFUZZ01", "SB0101", "s-fuzz", "T-FUZZ", "BR0100")
        select new Malformed($"{c} in {field}", Bytes(Template.Replace($"\"{field}\"", $"\"{field[..2]}{c}{field[2..]}\"")));

    private static Gen<Malformed> InvalidUtf8() =>
        from bad in Gen.Elements(new byte[] { 0xFF }, [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80])
        from place in Gen.Elements("QFUZZ01", "s-fuzz", "T-FUZZ")
        select new Malformed($"invalid UTF-8 {Convert.ToHexString(bad)} in {place}", Insert(Bytes(Template), place, bad));

    private static Gen<Malformed> LongId() =>
        from length in Gen.Choose(129, 2000)
        select new Malformed($"{length}-character id", Bytes(Template.Replace("QFUZZ01", new string('Q', length))));

    private static Gen<Malformed> FarAhead() =>
        from hours in Gen.Choose(13, 24 * 30)
        select new Malformed($"{hours} h after the stream's end", Bytes(Template.Replace("2026-03-02T10:00:00.000+08:00",
            StreamEnd.AddHours(hours).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture))));

    private static Gen<Malformed> BadSyntax() => Gen.Elements(
        new Malformed("trailing garbage", Bytes(Template + "x")),
        new Malformed("two objects", Bytes(Template + Template)),
        new Malformed("comment", Bytes(Template.Replace("{\"eventId\"", "{/* c */\"eventId\""))),
        new Malformed("trailing comma", Bytes(Template.Replace("}", ",}"))),
        new Malformed("single quotes", Bytes(Template.Replace("\"QFUZZ01\"", "'QFUZZ01'"))),
        new Malformed("unterminated", Bytes(Template[..^10])));

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Replace(byte[] source, string what, string with)
    {
        var at = source.AsSpan().IndexOf(Bytes(what));
        return at < 0 ? source : [.. source[..at], .. Bytes(with), .. source[(at + Bytes(what).Length)..]];
    }

    private static byte[] Insert(byte[] source, string after, byte[] bytes)
    {
        var at = source.AsSpan().IndexOf(Bytes(after)) + 2;
        return [.. source[..at], .. bytes, .. source[at..]];
    }
}
