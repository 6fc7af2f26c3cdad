namespace Monitor.Ingest;

/// <summary>
/// Reads a replay file as raw lines of bytes, so each line reaches the event reader exactly as a Kafka message
/// would (a text reader would silently turn invalid UTF-8 into U+FFFD and accept the event). Lines end at
/// <c>\n</c> (a <c>\r</c> before it and a UTF-8 byte-order mark at the start are dropped). A line longer than
/// <c>keep</c> bytes is not held whole: its first <c>keep</c> bytes are kept for the dead letter and the rest
/// is only counted, so a file with a gigabyte on one line costs no gigabyte of memory.
/// </summary>
public sealed class ByteLineReader(Stream input, int keep)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private byte[] _line = new byte[1024];

    /// <summary>The current line's kept bytes (valid until the next read).</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>The current line's whole length in bytes, however much of it was kept.</summary>
    public long Length { get; private set; }

    /// <summary>Reads the next line; false at the end of the input.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        var kept = 0;
        long length = 0;
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof || !await FillAsync(ct))
                {
                    if (!any) return false;
                    break;
                }
            }
            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var nl = span.IndexOf((byte)'\n');
            var take = nl < 0 ? span : span[..nl];
            if (kept < keep)
            {
                var copy = Math.Min(take.Length, keep - kept);
                if (_line.Length < kept + copy) Array.Resize(ref _line, Math.Max(_line.Length * 2, kept + copy));
                take[..copy].CopyTo(_line.AsSpan(kept));
                kept += copy;
            }
            length += take.Length;
            _start += take.Length;
            if (nl >= 0)
            {
                _start++;
                break;
            }
        }
        if (kept > 0 && kept == length && _line[kept - 1] == (byte)'\r')
        {
            kept--;
            length--;
        }
        var offset = 0;
        if (_first)
        {
            _first = false;
            if (kept >= 3 && _line[0] == 0xEF && _line[1] == 0xBB && _line[2] == 0xBF) offset = 3;
        }
        Line = _line.AsMemory(offset, kept - offset);
        Length = length - offset;
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await input.ReadAsync(_buffer, ct);
        if (_end == 0) _eof = true;
        return _end > 0;
    }
}
