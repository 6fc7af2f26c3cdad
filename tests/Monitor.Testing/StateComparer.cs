using System.Collections;
using System.Reflection;
using Monitor.Contracts.State;

namespace Monitor.Testing;

/// <summary>
/// Compares two objects field by field, private fields included, recursively: the check that a
/// <see cref="IDurableState"/> round trip lost nothing, including a field added later and forgotten in
/// Save/Restore. Delegates and the types named in <c>skip</c> (shared context such as settings) are not compared.
/// </summary>
public static class StateComparer
{
    /// <summary>Saves <paramref name="original"/>, restores the bytes into <paramref name="fresh"/> and returns the differences (empty when none).</summary>
    public static List<string> RoundTrip<T>(T original, T fresh, params Type[] skip) where T : IDurableState
    {
        using var w = new StateWriter();
        original.Save(w);
        using var r = StateReader.Open(w.ToArray());
        fresh.Restore(r);
        r.End();
        return Differences(original, fresh, skip);
    }

    public static List<string> Differences(object? a, object? b, params Type[] skip)
    {
        var found = new List<string>();
        Compare(a, b, typeof(object).Name, found, new HashSet<(object, object)>(ReferencePairComparer.Instance), skip);
        return found;
    }

    private static void Compare(object? a, object? b, string path, List<string> found, HashSet<(object, object)> seen, Type[] skip)
    {
        if (found.Count > 20) return;
        if (a is null || b is null)
        {
            if (a is not null || b is not null) found.Add($"{path}: {Show(a)} vs {Show(b)}");
            return;
        }
        var type = a.GetType();
        if (type != b.GetType())
        {
            found.Add($"{path}: type {type.Name} vs {b.GetType().Name}");
            return;
        }
        if (a is Delegate || skip.Any(s => s.IsAssignableFrom(type))) return;
        if (type.IsPrimitive || type.IsEnum || a is string or decimal or DateTime or TimeSpan or Guid)
        {
            if (!a.Equals(b)) found.Add($"{path}: {Show(a)} vs {Show(b)}");
            return;
        }
        if (a is DateTimeOffset da)
        {
            var db = (DateTimeOffset)b;
            if (da != db || da.Offset != db.Offset) found.Add($"{path}: {da:o} vs {db:o}");
            return;
        }
        if (!type.IsValueType && !seen.Add((a, b))) return;
        if (a is IDictionary ad)
        {
            var bd = (IDictionary)b;
            if (ad.Count != bd.Count) found.Add($"{path}: {ad.Count} entries vs {bd.Count}");
            var comparer = type.GetProperty("Comparer")?.GetValue(a)?.GetType();
            var otherComparer = type.GetProperty("Comparer")?.GetValue(b)?.GetType();
            if (comparer != otherComparer) found.Add($"{path}: comparer {comparer?.Name} vs {otherComparer?.Name}");
            foreach (DictionaryEntry e in ad)
            {
                if (!bd.Contains(e.Key)) found.Add($"{path}[{e.Key}]: missing");
                else Compare(e.Value, bd[e.Key], $"{path}[{e.Key}]", found, seen, skip);
            }
            return;
        }
        if (a is IEnumerable ae && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            var al = ae.Cast<object?>().ToList();
            var bl = ((IEnumerable)b).Cast<object?>().ToList();
            if (al.Count != bl.Count) found.Add($"{path}: {al.Count} items vs {bl.Count}");
            if (IsUnordered(type))
            {
                // Sets: order is not state; compare as sorted text, enough for the sets of ids and numbers detectors keep.
                var at = al.Select(x => Show(x)).Order(StringComparer.Ordinal).ToList();
                var bt = bl.Select(x => Show(x)).Order(StringComparer.Ordinal).ToList();
                if (!at.SequenceEqual(bt)) found.Add($"{path}: set differs");
                return;
            }
            for (var i = 0; i < Math.Min(al.Count, bl.Count); i++) Compare(al[i], bl[i], $"{path}[{i}]", found, seen, skip);
            return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!typeof(Delegate).IsAssignableFrom(f.FieldType)) // a cached delegate is rebuilt, not state, even while one side has not built it yet
                    Compare(f.GetValue(a), f.GetValue(b), $"{path}.{Clean(f.Name)}", found, seen, skip);
        }
    }

    private static bool IsUnordered(Type t) =>
        t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(HashSet<>));

    private static string Clean(string field) => field.StartsWith('<') ? field[1..field.IndexOf('>')] : field;

    private static string Show(object? v) => v switch
    {
        null => "null",
        DateTimeOffset d => d.ToString("o"),
        _ => v.ToString() ?? "",
    };

    private sealed class ReferencePairComparer : IEqualityComparer<(object, object)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((object, object) x, (object, object) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((object, object) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
