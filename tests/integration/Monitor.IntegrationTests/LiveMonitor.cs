using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Monitor.Testing;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor run</c> as an operator starts it: the built CLI as a separate process, its API on a free port, its
/// store, models and metrics in a directory of the test's; stderr and stdout are collected line by line, and
/// <c>/ready</c> is read over HTTP. Disposing kills the process.
/// </summary>
internal sealed class LiveMonitor : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly HttpClient _http;

    private LiveMonitor(Process process, Uri api)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public IReadOnlyList<string> Stderr => [.. _stderr];
    public IReadOnlyList<string> Stdout => [.. _stdout];
    public bool Exited => _process.HasExited;

    /// <summary>A summary for assertion messages: exit state and everything the process printed.</summary>
    public string Transcript => $"exited: {(Exited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no")}\n"
        + $"stderr:\n{string.Join('\n', Stderr)}\nstdout:\n{string.Join('\n', Stdout)}";

    /// <summary>Starts <c>monitor run --kafka <paramref name="kafka"/></c> with the API on a free port, working in <paramref name="dir"/>; extra options follow.</summary>
    public static LiveMonitor Start(string kafka, DirectoryInfo dir, params string[] options)
    {
        var port = Ports.Free();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir.FullName,
        };
        psi.ArgumentList.Add(Dll());
        foreach (var a in new[] { "run", "--kafka", kafka, "--api", $"127.0.0.1:{port}", "--models", Path.Combine(dir.FullName, "models"),
                     "--metrics-file", Path.Combine(dir.FullName, "metrics.lp") }.Concat(options))
            psi.ArgumentList.Add(a);
        return new LiveMonitor(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The status and body of <c>GET /ready</c>; (0, "") while the API does not answer yet.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ReadyAsync()
    {
        try
        {
            using var r = await _http.GetAsync("ready");
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
        catch (TaskCanceledException)
        {
            return (0, "");
        }
    }

    /// <summary>Polls <c>/ready</c> until it answers <paramref name="status"/> (and the body contains <paramref name="containing"/>); the last answer.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WaitReadyAsync(HttpStatusCode status, TimeSpan timeout, string? containing = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = (Status: (HttpStatusCode)0, Body: "");
        while (DateTime.UtcNow < deadline && !Exited)
        {
            last = await ReadyAsync();
            if (last.Status == status && (containing is null || last.Body.Contains(containing, StringComparison.Ordinal))) return last;
            await Task.Delay(250);
        }
        return last;
    }

    /// <summary>Waits until a stderr line contains <paramref name="text"/>; true when one did.</summary>
    public async Task<bool> WaitStderrAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stderr.Any(l => l.Contains(text, StringComparison.Ordinal))) return true;
            if (Exited) return false;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>The built CLI, as <see cref="Cli.Run"/> finds it.</summary>
    private static string Dll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return Path.Combine(root, "tools", "Monitor.Cli", "bin", configuration, "net10.0", "Monitor.Cli.dll");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
    }
}
