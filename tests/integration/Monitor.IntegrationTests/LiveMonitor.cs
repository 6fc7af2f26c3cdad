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
    private readonly CliProcess _process;
    private readonly HttpClient _http;

    private LiveMonitor(CliProcess process, Uri api)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
    }

    public IReadOnlyList<string> Stderr => _process.Stderr;
    public IReadOnlyList<string> Stdout => _process.Stdout;
    public bool Exited => _process.HasExited;

    /// <summary>A summary for assertion messages: exit state and everything the process printed.</summary>
    public string Transcript => _process.Transcript;

    /// <summary>The API's address, for calls of the test's own.</summary>
    public Uri Api => _http.BaseAddress!;

    /// <summary>
    /// Starts <c>monitor run</c> (with <c>--kafka <paramref name="kafka"/></c>, or its own mock cluster when null) with the
    /// API on a free port, working in <paramref name="dir"/>; extra options follow.
    /// </summary>
    public static LiveMonitor Start(string? kafka, DirectoryInfo dir, params string[] options)
    {
        var port = Ports.Free();
        string[] args = ["run", .. kafka is null ? Array.Empty<string>() : ["--kafka", kafka], "--api", $"127.0.0.1:{port}",
            "--models", Path.Combine(dir.FullName, "models"), "--metrics-file", Path.Combine(dir.FullName, "metrics.lp"), .. options];
        return new LiveMonitor(CliProcess.StartIn(dir.FullName, args), new Uri($"http://127.0.0.1:{port}/"));
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
    public async Task<bool> WaitStderrAsync(string text, TimeSpan timeout) =>
        await _process.WaitForLine(l => l.Contains(text, StringComparison.Ordinal), timeout) is not null;

    /// <summary>An authorised GET of the API; status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var r = await _http.SendAsync(request);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>An authorised POST of the API with a JSON body; status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var r = await _http.SendAsync(request);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _http.Dispose();
    }
}
