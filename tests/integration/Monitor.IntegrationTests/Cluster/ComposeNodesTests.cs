using System.Net;
using System.Text;
using Monitor.Testing;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Monitor.IntegrationTests.Cluster;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so its two monitor nodes are started as the file writes
/// them: each node's <c>command</c>, word for word, with only the addresses Docker would resolve replaced by this
/// machine's (the service names, the PostgreSQL and Kafka the tests run, a file for metrics instead of InfluxDB).
/// They must form one cluster in which the first leads and the second stands by, both answering the API; and the
/// stack around them must be what a restart and a host-side producer need.
/// </summary>
public sealed class ComposeNodesTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compose").FullName;
    private readonly YamlMappingNode _services = Services();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_two_monitor_nodes_of_the_compose_file_form_one_cluster_that_serves_the_API_on_both()
    {
        var monitors = MonitorServices();
        Assert.Equal(["monitor-1", "monitor-2"], monitors);
        var store = await postgres.NewDatabaseAsync();
        await using var kafka = CliProcess.Start("kafka");
        var address = await kafka.WaitForLine(l => l.Contains(':', StringComparison.Ordinal), TimeSpan.FromSeconds(60), stdout: true);
        Assert.True(address is not null, kafka.Transcript);

        // Where Docker would resolve a service name, this machine's address: one port per node's cluster address.
        var cluster = monitors.ToDictionary(m => $"{m}:4053", _ => $"127.0.0.1:{Ports.Free()}");
        var api = monitors.ToDictionary(m => m, _ => Ports.Free());
        var nodes = new List<CliProcess>();
        try
        {
            foreach (var service in monitors)
            {
                var args = Here(Words(Scalar(_services, service, "command")), cluster, address, store, api[service]);
                nodes.Add(CliProcess.StartIn(_dir, args));
                var node = nodes[^1];
                Assert.True(await node.WaitUntil(() => node.Stderr.Any(l => l.Contains("joined the cluster", StringComparison.Ordinal)), TimeSpan.FromSeconds(60)), node.Transcript);
            }
            var first = nodes[0];
            Assert.True(await first.WaitUntil(() => first.Stderr.Any(l => l.StartsWith("this node leads the pipeline", StringComparison.Ordinal)), TimeSpan.FromSeconds(60)), first.Transcript);
            Assert.DoesNotContain(nodes[1].Stderr, l => l.StartsWith("this node leads", StringComparison.Ordinal));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var service in monitors)
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{api[service]}/health"))).StatusCode);
            foreach (var node in nodes.AsEnumerable().Reverse()) Assert.Equal(0, await node.StopAsync());
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public void The_stack_restarts_what_stops_starts_the_monitors_after_what_they_need_and_lets_the_host_produce()
    {
        foreach (var name in new[] { "kafka", "postgres", "influxdb", "grafana", "monitor-1", "monitor-2" })
            Assert.Equal("unless-stopped", Scalar(_services, name, "restart"));
        foreach (var monitor in MonitorServices())
        {
            var service = (YamlMappingNode)_services[monitor];
            Assert.Equal(".", Scalar(_services, monitor, "build")); // built once into an image, not from the source at every start
            Assert.True(service.Children.ContainsKey("healthcheck"), monitor);
            var needs = (YamlMappingNode)service["depends_on"];
            foreach (var dependency in new[] { "kafka", "postgres" })
                Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)needs[dependency])["condition"]).Value);
        }
        Assert.True(File.Exists(Path.Combine(Root(), "Dockerfile")));

        // A producer on the host is told an address it can reach: the published port, advertised as localhost.
        var kafka = (YamlMappingNode)_services["kafka"];
        var published = ((YamlSequenceNode)kafka["ports"]).Select(p => ((YamlScalarNode)p).Value!.Split(':')[0]).ToList();
        var advertised = Scalar(_services, "kafka", "environment", "KAFKA_ADVERTISED_LISTENERS").Split(',');
        Assert.Contains(advertised, l => l.EndsWith("//localhost:" + published.Single(), StringComparison.Ordinal));
    }

    /// <summary>A node's command line with the addresses Docker resolves replaced by this machine's.</summary>
    private string[] Here(IReadOnlyList<string> words, Dictionary<string, string> cluster, string kafka, string store, int api)
    {
        var args = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var (option, value) = (words[i], i + 1 < words.Count ? words[i + 1] : "");
            switch (option)
            {
                case "--kafka": args.AddRange([option, kafka]); i++; break;
                case "--store":
                    Assert.StartsWith("Host=postgres;", value, StringComparison.Ordinal); // the shared PostgreSQL service
                    args.AddRange([option, store]); i++; break;
                case "--influx": args.AddRange(["--metrics-file", Path.Combine(_dir, $"metrics-{api}.lp")]); i++; break;
                case "--models": args.AddRange([option, Path.Combine(_dir, $"models-{api}")]); i++; break;
                case "--settings":
                    Assert.Equal("/config/settings.json", value); // ./config mounted there
                    args.AddRange([option, Path.Combine(Root(), "config", "settings.json")]); i++; break;
                case "--api": args.AddRange([option, $"127.0.0.1:{api}"]); i++; break;
                case "--cluster-node" or "--seed-node":
                    Assert.True(cluster.ContainsKey(value), $"{option} {value} names no monitor service");
                    args.AddRange([option, cluster[value]]); i++; break;
                default: args.Add(option); break;
            }
        }
        return [.. args];
    }

    private List<string> MonitorServices() =>
        [.. _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => k.StartsWith("monitor", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode at = node;
        foreach (var key in path) at = ((YamlMappingNode)at)[key];
        return ((YamlScalarNode)at).Value!;
    }

    /// <summary>The words of a command as Docker Compose splits it (shell-like: double quotes group).</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in command)
        {
            if (c == '"') (quoted, any) = (!quoted, true);
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) words.Add(word.ToString());
                (word, any) = (new StringBuilder(), false);
            }
            else (word, any) = (word.Append(c), true);
        }
        if (any) words.Add(word.ToString());
        return words;
    }

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root(), "docker-compose.yml"))) yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string Root() => Cli.Root;
}
