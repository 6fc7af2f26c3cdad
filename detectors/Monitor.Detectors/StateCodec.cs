using Monitor.Contracts.State;
using Monitor.Detectors.Texts;
using NodaTime;

namespace Monitor.Detectors;

/// <summary>
/// The encodings the detector state classes share, so a local date, a subject key or a finding is written
/// one way everywhere: a date as its day number, a 64-bit key as its bits, a finding field by field.
/// </summary>
internal static class StateCodec
{
    public static void WriteDate(this StateWriter w, LocalDate d) => w.Write(d.ToDateOnly().DayNumber);

    public static LocalDate ReadDate(this StateReader r)
    {
        var n = r.ReadInt();
        if (n < DateOnly.MinValue.DayNumber || n > DateOnly.MaxValue.DayNumber) throw new StateFormatException($"day number {n} is not a date");
        return LocalDate.FromDateOnly(DateOnly.FromDayNumber(n));
    }

    public static void WriteKey(this StateWriter w, ulong key) => w.Write(unchecked((long)key));

    public static ulong ReadKey(this StateReader r) => unchecked((ulong)r.ReadLong());

    /// <summary>An enum value, checked on reading so a damaged snapshot cannot smuggle in an undefined one.</summary>
    public static T ReadEnum<T>(this StateReader r) where T : struct, Enum
    {
        var n = r.ReadInt();
        var v = (T)Enum.ToObject(typeof(T), n);
        if (!Enum.IsDefined(v)) throw new StateFormatException($"{n} is not a {typeof(T).Name}");
        return v;
    }

    public static void WriteEnum<T>(this StateWriter w, T v) where T : struct, Enum => w.Write(Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture));

    public static void WriteFinding(this StateWriter w, Finding f)
    {
        w.Write(f.Rule);
        w.WriteEnum(f.EntityKind);
        w.Write(f.EntityId);
        w.WriteNullable(f.UserId);
        w.WriteNullable(f.BranchId);
        w.WriteEnum(f.Severity);
        w.Write(f.EventTime);
        w.Write(f.EventId);
        w.WritePhrase(f.Text);
        w.WriteNullable(f.Period);
        w.Write(f.Magnitude);
        w.Write(f.BranchSurge);
    }

    public static Finding ReadFinding(this StateReader r) =>
        new(r.ReadString(), r.ReadEnum<EntityKind>(), r.ReadString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadEnum<Severity>(),
            r.ReadTime(), r.ReadString(), r.ReadPhrase())
        {
            Period = r.ReadNullableString(),
            Magnitude = r.ReadDouble(),
            BranchSurge = r.ReadDouble(),
        };

    /// <summary>Reads an array written with its length into <paramref name="into"/>, which must be as long.</summary>
    public static void ReadArray<T>(this StateReader r, T[] into, Func<StateReader, T> read)
    {
        var items = r.ReadList(read);
        if (items.Count != into.Length) throw new StateFormatException($"expected {into.Length} items, found {items.Count}");
        items.CopyTo(into);
    }
}
