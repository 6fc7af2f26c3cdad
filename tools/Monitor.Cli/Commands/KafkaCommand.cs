using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Monitor.Ingest;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor kafka</c>: librdkafka's mock cluster in a process of its own, so a monitor can be killed and
/// restarted, or several run side by side, against topics that outlive them. For trying out and tests; production
/// uses a real cluster.
/// </summary>
internal static class KafkaCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port")
        {
            Description = "bootstrap port to listen on (127.0.0.1); the mock's brokers themselves listen on ports of their own choosing, which the bootstrap reply names",
        };
        var cmd = new Command("kafka", "run librdkafka's mock Kafka cluster until stopped and print its bootstrap address (for trying out and tests)") { port };
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var wanted = p.GetValue(port);
            if (wanted is < 1 or > 65535) throw new CliException($"--port: {wanted} is not a port (1-65535)");
            TcpListener? listener = null;
            if (wanted is { } n)
            {
                listener = new TcpListener(IPAddress.Loopback, n);
                try
                {
                    listener.Start();
                }
                catch (SocketException e)
                {
                    throw new CliException($"--port: cannot listen on 127.0.0.1:{n}: {e.Message}");
                }
            }
            using var cluster = MockCluster.Start();
            using var forward = listener is null ? null : TcpForwarder.Start(listener, cluster.BootstrapServers);
            var address = listener is null ? cluster.BootstrapServers : $"127.0.0.1:{wanted}";
            Console.WriteLine(address);
            Console.Out.Flush();
            Console.Error.WriteLine($"mock Kafka cluster at {address}: topics appear on first use with 4 partitions and keep about 5 MB each; Ctrl+C or SIGTERM stops it (and its topics are gone)");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            Console.Error.WriteLine("mock Kafka cluster stopped");
            return 0;
        }));
        return cmd;
    }
}
