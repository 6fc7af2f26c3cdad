namespace Monitor.Metrics;

/// <summary>
/// One InfluxDB point: a measurement, tags (indexed, for grouping and filtering), fields (the values) and a
/// time. Tags are kept sorted by key, as InfluxDB stores them; an empty tag value is left out, since line
/// protocol has no way to say it.
/// </summary>
public sealed class Point(string measurement, DateTimeOffset time)
{
    private readonly SortedList<string, string> _tags = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, object>> _fields = new(2);

    public string Measurement { get; } = measurement;
    public DateTimeOffset Time { get; } = time;
    public IEnumerable<KeyValuePair<string, string>> Tags => _tags;
    public IReadOnlyList<KeyValuePair<string, object>> Fields => _fields;

    public static Point Measure(string measurement, DateTimeOffset time) => new(measurement, time);

    public Point Tag(string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) _tags[key] = value;
        return this;
    }

    public Point Field(string key, long value) => Add(key, value);
    public Point Field(string key, double value) => double.IsFinite(value) ? Add(key, value) : this;
    public Point Field(string key, bool value) => Add(key, value);
    public Point Field(string key, string? value) => value is null ? this : Add(key, value);

    private Point Add(string key, object value)
    {
        _fields.Add(new(key, value));
        return this;
    }
}
