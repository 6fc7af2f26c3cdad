namespace Monitor.Metrics;

/// <summary>
/// Picks the writer for an InfluxDB: the 2.x/3.x API through the official client when a bucket is named, else
/// the 1.x API through the project's own line-protocol writer, because InfluxDB 1.x (Debian's influxdb 1.6, which
/// the tests run) has no <c>/api/v2/write</c> for the client to speak to (docs/metrics.md).
/// </summary>
public static class InfluxSink
{
    public static IMetricsSink Create(InfluxOptions options, Action<string>? log = null) =>
        options.IsV2 ? new Influx2Writer(options, log) : new Influx1Writer(options, log: log);
}
