using System.Globalization;
using Monitor.Contracts;

namespace Monitor.Detectors.Texts;

/// <summary>
/// A text for people, kept as a template key and its arguments so that it can be written in every language the
/// monitor speaks (<see cref="Catalog"/>): a finding carries one, and the alert renders it in Chinese and English.
/// An argument is a literal (ids, times, numbers already formatted: the same in every language) or a phrase of its
/// own (a weekday, a role, a clause), rendered in the same language. Compared by value.
/// </summary>
public sealed class Phrase : IEquatable<Phrase>
{
    /// <summary>The key of a literal: the same text in every language (its one argument).</summary>
    public const string LiteralKey = "";

    /// <summary>The key of a concatenation: its arguments one after the other.</summary>
    public const string ConcatKey = "+";

    /// <summary>The key of a list: its first argument (a separator phrase) between the others.</summary>
    public const string JoinKey = "join";

    /// <summary>The key of a text already written in both languages: its Chinese, then its English.</summary>
    public const string BothKey = "both";

    private readonly object[] _args;

    private Phrase(string key, object[] args)
    {
        Key = key;
        _args = args;
    }

    public string Key { get; }

    /// <summary>Each argument: a <see cref="string"/> or a <see cref="Phrase"/>.</summary>
    public IReadOnlyList<object> Args => _args;

    /// <summary>The template <paramref name="key"/> with its arguments (strings, phrases, or numbers, written invariantly).</summary>
    public static Phrase Of(string key, params object?[] args) => new(key, [.. args.Select(Arg)]);

    /// <summary>The same text in every language.</summary>
    public static Phrase Literal(string text) => new(LiteralKey, [text]);

    /// <summary>A text already written in both languages (an alert's explanations, inside a command's reason).</summary>
    public static Phrase Of(Localized text) => new(BothKey, [text.Zh, text.En]);

    /// <summary>The parts one after the other (empty parts are fine).</summary>
    public static Phrase Concat(params object?[] parts) => new(ConcatKey, [.. parts.Select(Arg)]);

    /// <summary>The items with the separator <paramref name="separatorKey"/> between them ("sep.semicolon": "; " and "；").</summary>
    public static Phrase Join(string separatorKey, IEnumerable<object> items) => new(JoinKey, [Of(separatorKey), .. items.Select(Arg)]);

    /// <summary>An empty text.</summary>
    public static readonly Phrase Empty = Literal("");

    /// <summary>The text in <paramref name="locale"/> (zh-CN unless English is asked for).</summary>
    public string Render(string locale) => Catalog.Render(this, Locales.IsEnglish(locale));

    /// <summary>The English text.</summary>
    public string En => Catalog.Render(this, english: true);

    /// <summary>The Chinese text.</summary>
    public string Zh => Catalog.Render(this, english: false);

    /// <summary>Both texts, as alerts and commands carry them.</summary>
    public Localized Both => new() { Zh = Zh, En = En };

    public override string ToString() => En;

    private static object Arg(object? a) => a switch
    {
        null => "",
        string s => s,
        Phrase p => p,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => a.ToString() ?? "",
    };

    public bool Equals(Phrase? other) =>
        other is not null && Key == other.Key && _args.Length == other._args.Length && _args.Zip(other._args).All(p => Equals(p.First, p.Second));

    public override bool Equals(object? obj) => Equals(obj as Phrase);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Key);
        foreach (var a in _args) h.Add(a);
        return h.ToHashCode();
    }

    /// <summary>Rebuilds a phrase read from a snapshot.</summary>
    internal static Phrase Restore(string key, object[] args) => new(key, args);
}
