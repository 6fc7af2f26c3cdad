using System.Text;

namespace Monitor.Contracts.State;

/// <summary>
/// Writes one entity's detector state into the compact binary form kept in snapshots. Every state class writes
/// its own fields in a fixed order behind a <see cref="Section"/> tag and reads them back with
/// <see cref="StateReader"/> in the same order; a tag that does not match on reading means the format changed
/// without a <see cref="StateSchema.Version"/> bump and fails loudly instead of loading shifted fields.
/// </summary>
public sealed class StateWriter : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _w;

    public StateWriter()
    {
        _w = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);
        _w.Write(StateSchema.Magic);
        _w.Write(StateSchema.Version);
    }

    /// <summary>The bytes written so far, headed by the magic number and the schema version.</summary>
    public byte[] ToArray()
    {
        _w.Flush();
        return _stream.ToArray();
    }

    /// <summary>Marks the start of one component's fields; <see cref="StateReader.Section"/> checks it.</summary>
    public void Section(string tag) => _w.Write(tag);

    public void Write(bool v) => _w.Write(v);

    public void Write(int v) => _w.Write(v);

    public void Write(long v) => _w.Write(v);

    public void Write(double v) => _w.Write(v);

    public void Write(string v) => _w.Write(v);

    public void WriteNullable(string? v)
    {
        _w.Write(v is not null);
        if (v is not null) _w.Write(v);
    }

    public void Write(DateTimeOffset v)
    {
        _w.Write(v.UtcTicks);
        _w.Write((short)v.Offset.TotalMinutes);
    }

    public void Write(DateTimeOffset? v)
    {
        _w.Write(v.HasValue);
        if (v is { } x) Write(x);
    }

    public void Write(TimeSpan v) => _w.Write(v.Ticks);

    /// <summary>A length followed by the bytes (another component's snapshot inside this one).</summary>
    public void Write(byte[] v) => Write((ReadOnlySpan<byte>)v);

    /// <summary>A length followed by the bytes; read back by <see cref="StateReader.ReadBytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> v)
    {
        _w.Write(v.Length);
        _w.Write(v);
    }

    public void Write(int? v)
    {
        _w.Write(v.HasValue);
        if (v is { } x) _w.Write(x);
    }

    public void Write(long? v)
    {
        _w.Write(v.HasValue);
        if (v is { } x) _w.Write(x);
    }

    public void Write(double? v)
    {
        _w.Write(v.HasValue);
        if (v is { } x) _w.Write(x);
    }

    /// <summary>A count followed by each item.</summary>
    public void Write<T>(IReadOnlyCollection<T> items, Action<StateWriter, T> write)
    {
        _w.Write(items.Count);
        foreach (var item in items) write(this, item);
    }

    /// <summary>A count followed by each key and value (in the dictionary's order; readers rebuild it as they like).</summary>
    public void Write<TKey, TValue>(IReadOnlyCollection<KeyValuePair<TKey, TValue>> items, Action<StateWriter, TKey> key, Action<StateWriter, TValue> value)
    {
        _w.Write(items.Count);
        foreach (var (k, v) in items)
        {
            key(this, k);
            value(this, v);
        }
    }

    public void Dispose()
    {
        _w.Dispose();
        _stream.Dispose();
    }
}
