using System.Text;

namespace Monitor.Contracts.State;

/// <summary>
/// Reads what <see cref="StateWriter"/> wrote, in the same order. A snapshot of another schema version is
/// refused by <see cref="Open"/> with <see cref="StateFormatException"/> before any field is read, so the
/// caller can drop it with one logged line instead of loading garbage.
/// </summary>
public sealed class StateReader : IDisposable
{
    private readonly BinaryReader _r;

    private StateReader(byte[] bytes) => _r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);

    /// <summary>Opens a snapshot, checking its magic number and schema version.</summary>
    public static StateReader Open(byte[] bytes)
    {
        if (bytes.Length < 8) throw new StateFormatException("the snapshot is empty or cut short");
        var reader = new StateReader(bytes);
        if (reader._r.ReadInt32() != StateSchema.Magic) throw new StateFormatException("not a detector-state snapshot");
        var version = reader._r.ReadInt32();
        if (version < StateSchema.OldestReadable || version > StateSchema.Version)
            throw new StateFormatException(StateSchema.OldestReadable == StateSchema.Version
                ? $"written by state schema {version}, this release reads schema {StateSchema.Version}"
                : $"written by state schema {version}, this release reads schemas {StateSchema.OldestReadable} to {StateSchema.Version}") { Version = version };
        reader.Version = version;
        return reader;
    }

    /// <summary>The schema the snapshot was written with: a state class whose layout changed reads the older one by it.</summary>
    public int Version { get; private set; } = StateSchema.Version;

    /// <summary>Checks that the next component is <paramref name="tag"/>.</summary>
    public void Section(string tag)
    {
        var found = Guarded(_r.ReadString);
        if (found != tag) throw new StateFormatException($"expected the state of {tag}, found {found}");
    }

    public bool ReadBool() => Guarded(_r.ReadBoolean);

    public int ReadInt() => Guarded(_r.ReadInt32);

    public long ReadLong() => Guarded(_r.ReadInt64);

    public double ReadDouble() => Guarded(_r.ReadDouble);

    public string ReadString() => Guarded(_r.ReadString);

    public string? ReadNullableString() => ReadBool() ? ReadString() : null;

    public DateTimeOffset ReadTime()
    {
        var ticks = ReadLong();
        var offset = TimeSpan.FromMinutes(Guarded(_r.ReadInt16));
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }

    public DateTimeOffset? ReadNullableTime() => ReadBool() ? ReadTime() : null;

    public byte[] ReadBytes()
    {
        var n = Count();
        var bytes = Guarded(() => _r.ReadBytes(n));
        if (bytes.Length != n) throw new StateFormatException("the snapshot ends in the middle of a field");
        return bytes;
    }

    public TimeSpan ReadTimeSpan() => TimeSpan.FromTicks(ReadLong());

    public int? ReadNullableInt() => ReadBool() ? ReadInt() : null;

    public long? ReadNullableLong() => ReadBool() ? ReadLong() : null;

    public double? ReadNullableDouble() => ReadBool() ? ReadDouble() : null;

    /// <summary>Reads a count, then calls <paramref name="read"/> that many times.</summary>
    public List<T> ReadList<T>(Func<StateReader, T> read)
    {
        var n = Count();
        var list = new List<T>(n);
        for (var i = 0; i < n; i++) list.Add(read(this));
        return list;
    }

    /// <summary>Reads a count of pairs into <paramref name="into"/> (which keeps its own comparer).</summary>
    public void ReadInto<TKey, TValue>(IDictionary<TKey, TValue> into, Func<StateReader, TKey> key, Func<StateReader, TValue> value)
    {
        var n = Count();
        for (var i = 0; i < n; i++)
        {
            var k = key(this);
            into[k] = value(this);
        }
    }

    /// <summary>Whether every byte was read: a snapshot with bytes left over was written by another layout.</summary>
    public void End()
    {
        if (_r.BaseStream.Position != _r.BaseStream.Length)
            throw new StateFormatException($"{_r.BaseStream.Length - _r.BaseStream.Position} bytes left after the last field");
    }

    private int Count()
    {
        var n = ReadInt();
        if (n < 0 || n > _r.BaseStream.Length) throw new StateFormatException($"a count of {n} cannot be right");
        return n;
    }

    private static T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            throw new StateFormatException("the snapshot ends in the middle of a field");
        }
    }

    public void Dispose() => _r.Dispose();
}
