using System.Globalization;
using System.Runtime.CompilerServices;

namespace Monitor.Series;

/// <summary>
/// <c>monitor score-series</c>: reads <c>timestamp,value</c> rows (a header first; other columns are carried
/// along), scores each row with a fresh <see cref="SeriesDetector"/> in file order, and writes every row back
/// with an <c>anomaly_score</c> column. A row whose value is not a number keeps its place with score 0.
/// </summary>
public static class SeriesCsv
{
    private static readonly string[] TimeFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>Scores <paramref name="input"/> into <paramref name="output"/>; returns the number of rows scored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Score(TextReader input, TextWriter output, SeriesDetectorOptions? options = null)
    {
        var header = input.ReadLine() ?? throw new FormatException("the input is empty: a header line 'timestamp,value' is required");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToList();
        var timeColumn = columns.IndexOf("timestamp");
        var valueColumn = columns.IndexOf("value");
        if (timeColumn < 0 || valueColumn < 0)
            throw new FormatException($"the header is '{header}': columns 'timestamp' and 'value' are required");
        output.WriteLine(header.TrimEnd('\r') + ",anomaly_score");

        var detector = new SeriesDetector(options);
        var rows = 0;
        DateTime? last = null;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            line = line.TrimEnd('\r');
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var score = 0.0;
            if (cells.Length > Math.Max(timeColumn, valueColumn) && TryTime(cells[timeColumn], out var time)
                && double.TryParse(cells[valueColumn].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                if (last is { } l && time < l) time = l; // out of order: judged as arriving now, never from the future
                score = detector.Score(time, value);
                last = time;
            }
            output.Write(line);
            output.Write(',');
            output.WriteLine(score.ToString("0.##########", CultureInfo.InvariantCulture));
            rows++;
        }
        return rows;
    }

    /// <summary>Timestamps like <c>2014-04-10 07:15:00</c>, ISO 8601 (an offset is converted to UTC), or Unix seconds.</summary>
    public static bool TryTime(string text, out DateTime time)
    {
        text = text.Trim().Trim('"');
        if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time)) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
        {
            time = dto.UtcDateTime;
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 1e11)
        {
            time = DateTime.UnixEpoch.AddSeconds(seconds);
            return true;
        }
        return false;
    }
}
