using Confluent.Kafka;

namespace Monitor.Ingest;

/// <summary>
/// librdkafka's built-in mock cluster, for trying the monitor with nothing installed and for tests. It speaks
/// the real Kafka protocol on a local port, but keeps only a few MB per partition and cannot create topics
/// through the admin API (they are created on first use with 4 partitions). Production uses a real cluster.
/// </summary>
public sealed class MockCluster : IDisposable
{
    private readonly IAdminClient _holder;

    private MockCluster(IAdminClient holder, string bootstrap)
    {
        _holder = holder;
        BootstrapServers = bootstrap;
    }

    public string BootstrapServers { get; }

    public static MockCluster Start(int brokers = 1)
    {
        var config = new AdminClientConfig();
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var holder = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = holder.GetMetadata(TimeSpan.FromSeconds(10));
        var bootstrap = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        return new MockCluster(holder, bootstrap);
    }

    public void Dispose() => _holder.Dispose();
}
