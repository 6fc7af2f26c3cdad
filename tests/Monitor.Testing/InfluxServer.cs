using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Monitor.Testing;

/// <summary>
/// A real InfluxDB 1.x (Debian's <c>influxdb</c> package, which ./test.sh installs) in a temporary directory on
/// free loopback ports, for one test class; <see cref="StopAsync"/> and <see cref="StartAsync"/> let a test
/// take it away and bring it back on the same port.
/// </summary>
public sealed class InfluxServer : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private string _dir = "";
    private Process? _process;

    public int Port { get; private set; }
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/influxd")) throw new InvalidOperationException("InfluxDB is not installed: ./test.sh installs Debian's influxdb package");
        _dir = Directory.CreateTempSubdirectory("monitor-influx-").FullName;
        Port = Ports.Free();
        var config = $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{Ports.Free()}"
            [meta]
              dir = "{_dir}/meta"
            [data]
              dir = "{_dir}/data"
              wal-dir = "{_dir}/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{Port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """;
        await File.WriteAllTextAsync(Path.Combine(_dir, "influxdb.conf"), config);
        await StartAsync();
    }

    /// <summary>Starts (again) on the same port and data, and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("/usr/bin/influxd") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-config");
        psi.ArgumentList.Add(Path.Combine(_dir, "influxdb.conf"));
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await _http.GetAsync(new Uri(Url, "ping"))).StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException)
            {
            }
            if (_process.HasExited) throw new InvalidOperationException($"influxd exited with {_process.ExitCode}");
            await Task.Delay(100);
        }
        throw new InvalidOperationException("influxd did not answer /ping within 30 s");
    }

    /// <summary>Takes the server away (an outage); the port stays reserved for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task CreateDatabaseAsync(string name) => await QueryAsync(null, $"CREATE DATABASE \"{name}\"", post: true);

    /// <summary>Runs InfluxQL and returns the JSON answer's <c>results</c> array (epoch ms times).</summary>
    public async Task<JsonElement> QueryAsync(string? database, string query, bool post = false)
    {
        var uri = new Uri(Url, $"query?epoch=ms{(database is null ? "" : "&db=" + Uri.EscapeDataString(database))}&q={Uri.EscapeDataString(query)}");
        using var response = post ? await _http.PostAsync(uri, null) : await _http.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"influx query failed ({(int)response.StatusCode}): {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("results").Clone();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        if (_dir.Length > 0) Directory.Delete(_dir, recursive: true);
    }
}
