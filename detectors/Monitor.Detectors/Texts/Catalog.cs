using System.Globalization;
using Monitor.Contracts;

namespace Monitor.Detectors.Texts;

/// <summary>
/// The templates of every text the detectors write for people, each in Chinese and English, by key: the findings'
/// explanations, the suspension reasons and the branch notices. A template is a composite format string
/// (<c>{0}</c>, <c>{1}</c>, …) over the phrase's rendered arguments; the English ones give exactly the texts the
/// monitor wrote before it had a Chinese one. Besides the templates, three keys build texts
/// (<see cref="Phrase.Literal"/>, <see cref="Phrase.Concat"/>, <see cref="Phrase.Join"/>) and two name things:
/// <c>wire</c> (a contract value: itself in English, its Chinese name in Chinese) and <c>rule</c> (a rule id:
/// itself in English, its Chinese name in Chinese).
/// </summary>
public static partial class Catalog
{
    /// <summary>A contract value (purpose, role, channel, outcome, account action, severity): as is in English, its Chinese name in Chinese.</summary>
    public const string WireKey = "wire";

    /// <summary>A rule id: as is in English, its Chinese name in Chinese.</summary>
    public const string RuleKey = "rule";

    private static readonly Dictionary<string, (string En, string Zh)> Templates = Build();

    /// <summary>Every template key with its two texts.</summary>
    public static IReadOnlyDictionary<string, (string En, string Zh)> All => Templates;

    /// <summary>A contract value as a phrase (<see cref="WireKey"/>).</summary>
    public static Phrase Wire(string wireName) => Phrase.Of(WireKey, wireName);

    /// <summary>A contract enum value as a phrase.</summary>
    public static Phrase Wire<T>(T value) where T : struct, Enum => Wire(WireNames.Of(value));

    /// <summary>A rule id as a phrase (<see cref="RuleKey"/>).</summary>
    public static Phrase Rule(string ruleId) => Phrase.Of(RuleKey, ruleId);

    /// <summary>
    /// Renders <paramref name="p"/>. A key without a template (a snapshot written by a later release) is written as
    /// the key and its arguments: a text for people never stops detection.
    /// </summary>
    public static string Render(Phrase p, bool english)
    {
        var args = p.Args;
        switch (p.Key)
        {
            case Phrase.LiteralKey:
                return args.Count > 0 ? Text(args[0], english) : "";
            case Phrase.ConcatKey:
                return string.Concat(args.Select(a => Text(a, english)));
            case Phrase.JoinKey:
                return string.Join(Text(args[0], english), args.Skip(1).Select(a => Text(a, english)));
            case Phrase.BothKey:
                return Text(args[english ? 1 : 0], english);
            case WireKey:
                return english ? Text(args[0], true) : ChineseNames.Of(Text(args[0], false));
            case RuleKey:
                return english ? Text(args[0], true) : ChineseNames.Rule(Text(args[0], false));
        }
        var rendered = args.Select(a => (object?)Text(a, english)).ToArray();
        if (!Templates.TryGetValue(p.Key, out var t)) return Unrendered(p.Key, rendered);
        try
        {
            return string.Format(CultureInfo.InvariantCulture, english ? t.En : t.Zh, rendered);
        }
        catch (FormatException)
        {
            return Unrendered(p.Key, rendered); // fewer arguments than the template names: the tests of each rule catch it
        }
    }

    /// <summary>Marks a text that could not be rendered from its template (the tests look for it).</summary>
    public const string UnrenderedMark = "⟦";

    private static string Unrendered(string key, object?[] args) => $"{UnrenderedMark}{key}⟧({string.Join(", ", args)})";

    private static string Text(object arg, bool english) => arg is Phrase p ? Render(p, english) : (string)arg;

    private static Dictionary<string, (string En, string Zh)> Build()
    {
        var d = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (key, en, zh) in Common().Concat(Rules()).Concat(Behaviour()).Concat(Suspension()))
            d.Add(key, (en, zh)); // a key given twice fails here, at the first use of the catalog, in every test
        return d;
    }

    private static IEnumerable<(string Key, string En, string Zh)> Common() =>
    [
        ("sep.semicolon", "; ", "；"),
        ("sep.comma", ", ", "、"),
        ("dur.days", "{0} d {1} h", "{0}天{1}小时"),
        ("dur.hours", "{0} h {1} min", "{0}小时{1}分钟"),
        ("dur.minutes", "{0} min", "{0}分钟"),
        ("weekday.Monday", "Monday", "星期一"),
        ("weekday.Tuesday", "Tuesday", "星期二"),
        ("weekday.Wednesday", "Wednesday", "星期三"),
        ("weekday.Thursday", "Thursday", "星期四"),
        ("weekday.Friday", "Friday", "星期五"),
        ("weekday.Saturday", "Saturday", "星期六"),
        ("weekday.Sunday", "Sunday", "星期日"),
    ];

    /// <summary>A duration as officers read it: "1 d 2 h", "3 h 5 min", "7 min" (at least one minute).</summary>
    public static Phrase Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? Phrase.Of("dur.days", (int)t.TotalDays, t.Hours)
        : t.TotalHours >= 1 ? Phrase.Of("dur.hours", (int)t.TotalHours, t.Minutes)
        : Phrase.Of("dur.minutes", Math.Max(1, (int)t.TotalMinutes));

    /// <summary>A day of the week.</summary>
    public static Phrase Weekday(NodaTime.IsoDayOfWeek d) => Phrase.Of("weekday." + d);
}
