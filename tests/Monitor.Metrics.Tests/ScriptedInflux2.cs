using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Monitor.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Monitor.Metrics.Tests;

/// <summary>
/// A scripted InfluxDB 2.x for the 2.x write path, which no InfluxDB on this machine speaks (Debian's influxdb 1.6
/// has no <c>/api/v2/write</c>): a WireMock.Net server on a free loopback port that answers each
/// <c>POST /api/v2/write</c> with the status <see cref="Answer"/> picks for it (by its number, from 1), and keeps
/// every request as it arrived (query, token, encoding, body unzipped). Shared with the integration tests, which
/// run the CLI against it.
/// </summary>
public sealed class ScriptedInflux2 : IDisposable
{
    /// <summary>One write request as the server saw it.</summary>
    public sealed record Write(string Path, IReadOnlyDictionary<string, string> Query, string? Authorization, string? ContentEncoding, string? UserAgent, string Body)
    {
        public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private readonly WireMockServer _server;
    private readonly ConcurrentQueue<Write> _writes = new();
    private int _count;

    public ScriptedInflux2(Func<int, int>? answer = null)
    {
        Answer = answer ?? (_ => 204);
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{Ports.Free()}"], DisableRequestBodyDecompressing = true });
        _server.Given(Request.Create().WithPath("/api/v2/write").UsingPost()).RespondWith(Response.Create().WithCallback(Respond));
        _server.Given(Request.Create().WithPath("/ping").UsingGet()).RespondWith(Response.Create().WithStatusCode(204));
        // One request before the test's: the server's first answer compiles much of ASP.NET Core and WireMock, which
        // on a machine busy with other test classes can take seconds the writer under test would be charged for.
        using var http = new HttpClient();
        http.GetAsync(new Uri(Url, "ping")).GetAwaiter().GetResult().EnsureSuccessStatusCode();
    }

    /// <summary>The status for the request with this number; may be changed while the server runs.</summary>
    public Func<int, int> Answer { get; set; }

    public Uri Url => new(_server.Urls[0]);


    public IReadOnlyList<Write> Writes => [.. _writes];

    public IEnumerable<string> Lines => Writes.SelectMany(w => w.Lines);

    private ResponseMessage Respond(IRequestMessage request)
    {
        string? Header(string name) => request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        var bytes = request.BodyAsBytes ?? Encoding.UTF8.GetBytes(request.Body ?? "");
        var encoding = Header("Content-Encoding");
        var body = encoding == "gzip" ? new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)).ReadToEnd() : Encoding.UTF8.GetString(bytes);
        var query = (request.Query ?? new Dictionary<string, WireMockList<string>>()).ToDictionary(q => q.Key, q => string.Join(",", q.Value));
        _writes.Enqueue(new Write(request.Path, query, Header("Authorization"), encoding, Header("User-Agent"), body));
        var status = Answer(Interlocked.Increment(ref _count));
        if (status < 300) return new ResponseMessage { StatusCode = status };
        var message = status == 401 ? "unauthorized access" : $"scripted {status}";
        return new ResponseMessage
        {
            StatusCode = status,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
            BodyData = new BodyData { BodyAsString = $"{{\"code\":\"scripted\",\"message\":\"{message}\"}}", DetectedBodyType = BodyType.String },
        };
    }

    public void Dispose() => _server.Stop();
}
