using System.Net;
using System.Text.Json;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary><c>GET /ready</c> names every reason the monitor is not ready, and is 200 again once each is cleared.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly ApiHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();
    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Ready_answers_503_with_each_reason_in_words_until_all_are_cleared()
    {
        _host.Readiness.Set("kafka", "127.0.0.1:1 unreachable (Connection refused), retrying");
        _host.Readiness.Set("store", "recording the batch's outputs failed (SQLite Error 13: 'database or disk is full'.); retrying");
        var r = await _host.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        using var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(
            ["kafka: 127.0.0.1:1 unreachable (Connection refused), retrying", "store: recording the batch's outputs failed (SQLite Error 13: 'database or disk is full'.); retrying"],
            body.RootElement.GetProperty("reasons").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("running", body.RootElement.GetProperty("pipeline").GetString());

        _host.Readiness.Clear("kafka");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _host.Http.GetAsync("/ready")).StatusCode);
        _host.Readiness.Clear("store");
        var ok = await _host.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"reasons\":[]", await ok.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_503_while_the_consumer_lags_more_than_the_settings_allow_and_200_once_it_caught_up()
    {
        _host.ReadyMaxLag = 1000;
        _host.Lag = 250_000;
        var r = await _host.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        using (var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()))
            Assert.Equal(["lag: the consumer is 250,000 messages behind the end of its partitions, more than api.readyMaxLag (1,000); alerts come late until it catches up"],
                body.RootElement.GetProperty("reasons").EnumerateArray().Select(e => e.GetString()!));

        _host.Lag = 1000; // at the limit is still ready
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/ready")).StatusCode);
        _host.Lag = 250_000;
        _host.ReadyMaxLag = null; // switched off in the settings
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/ready")).StatusCode);
    }
}
