using System.Runtime.InteropServices;
using Monitor.Contracts.State;
namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Which branch first read each subject's report, for the feature "subjects first seen at other branches".
/// Kept as 64-bit subject keys against a small table of branch ids, in two generations: a subject not read
/// for one to two generations is forgotten, so memory follows the recent traffic, not all history.
/// </summary>
public sealed class SubjectOrigins(TimeSpan generation) : IDurableState
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _branches = [];
    private Dictionary<ulong, int> _current = [];
    private Dictionary<ulong, int> _previous = [];
    private DateTimeOffset _generationEnd = DateTimeOffset.MinValue;

    /// <summary>Subjects remembered.</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>The branch table (its index is rebuilt from it), both generations and when the current one ends; the generation length is the constructor's.</summary>
    public void Save(StateWriter w)
    {
        w.Section("SubjectOrigins");
        w.Write(_branches, (w, b) => w.Write(b));
        Write(w, _current);
        Write(w, _previous);
        w.Write(_generationEnd);
    }

    public void Restore(StateReader r)
    {
        r.Section("SubjectOrigins");
        _branches.Clear();
        _index.Clear();
        foreach (var b in r.ReadList(r => r.ReadString()))
        {
            if (!_index.TryAdd(b, _branches.Count)) throw new StateFormatException($"branch {b} twice in the origin table");
            _branches.Add(b);
        }
        Read(r, _current);
        Read(r, _previous);
        _generationEnd = r.ReadTime();
    }

    /// <summary>
    /// A generation as two packed blocks, the keys (little-endian 64-bit) and then their origins (32-bit): hundreds of
    /// thousands of subjects are copied out in a few milliseconds, where writing them one field at a time held a
    /// checkpoint's barrier, and so every event behind it, for a tenth of a second and more.
    /// </summary>
    private static void Write(StateWriter w, Dictionary<ulong, int> generation)
    {
        var keys = new ulong[generation.Count];
        var origins = new int[generation.Count];
        var i = 0;
        foreach (var (k, v) in generation)
        {
            keys[i] = k;
            origins[i++] = v;
        }
        if (!BitConverter.IsLittleEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(keys, keys);
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(origins, origins);
        }
        w.Write(MemoryMarshal.AsBytes(keys.AsSpan()));
        w.Write(MemoryMarshal.AsBytes(origins.AsSpan()));
    }

    private void Read(StateReader r, Dictionary<ulong, int> into)
    {
        into.Clear();
        var keys = r.ReadBytes();
        var origins = r.ReadBytes();
        if (keys.Length % sizeof(ulong) != 0 || origins.Length != keys.Length / sizeof(ulong) * sizeof(int))
            throw new StateFormatException($"a generation of {keys.Length} key bytes and {origins.Length} origin bytes");
        var k = MemoryMarshal.Cast<byte, ulong>(keys.AsSpan());
        var o = MemoryMarshal.Cast<byte, int>(origins.AsSpan());
        if (!BitConverter.IsLittleEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(k, k);
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(o, o);
        }
        into.EnsureCapacity(k.Length);
        for (var i = 0; i < k.Length; i++)
        {
            if (o[i] < 0 || o[i] >= _branches.Count) throw new StateFormatException($"origin {o[i]} outside a table of {_branches.Count} branches");
            if (!into.TryAdd(k[i], o[i])) throw new StateFormatException($"subject key {k[i]} twice in a generation");
        }
    }

    /// <summary>The branch that first read <paramref name="subjectKey"/>; records <paramref name="branchId"/> as its first reader when it is new.</summary>
    public string Observe(ulong subjectKey, string branchId, DateTimeOffset at)
    {
        if (at >= _generationEnd)
        {
            if (_generationEnd != DateTimeOffset.MinValue)
            {
                (_previous, _current) = (_current, _previous);
                _current.Clear();
            }
            _generationEnd = at + generation;
        }
        if (_current.TryGetValue(subjectKey, out var origin)) return _branches[origin];
        if (_previous.Remove(subjectKey, out origin))
        {
            _current[subjectKey] = origin; // still in use: carried into the new generation
            return _branches[origin];
        }
        if (!_index.TryGetValue(branchId, out origin))
        {
            origin = _branches.Count;
            _branches.Add(branchId);
            _index[branchId] = origin;
        }
        _current[subjectKey] = origin;
        return branchId;
    }
}
