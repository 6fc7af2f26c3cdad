using System.Net;
using Monitor.Cli.Commands;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>The CLI's pure decisions behind the tests that run it: where the API listens, what --influx accepts.</summary>
public sealed class CliDecisionTests
{
    private static IPAddress[] Nowhere(string host) => throw new System.Net.Sockets.SocketException(11001);

    [Theory]
    [InlineData("18090", "127.0.0.1:18090")]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("0.0.0.0:8080", "0.0.0.0:8080")]
    [InlineData("localhost:8081", "127.0.0.1:8081")]
    [InlineData("[::1]:8082", "::1:8082")]
    public void Api_addresses_users_write_are_understood_and_a_port_alone_stays_on_loopback(string text, string bound)
    {
        Assert.Equal(bound, ApiListen.Parse(text, "--api").ToString());
    }

    [Fact]
    public void A_host_name_binds_the_address_it_resolves_to()
    {
        Assert.Equal("10.1.2.3:18090", ApiListen.Parse("somehost:18090", "--api", _ => [IPAddress.Parse("10.1.2.3")]).ToString());
    }

    [Theory]
    [InlineData("somehost:notaport", "is not HOST:PORT or a port")]
    [InlineData("127.0.0.1:70000", "is not HOST:PORT or a port")]
    [InlineData(":8080", "is not HOST:PORT or a port")]
    [InlineData("nowhere.invalid:8080", "cannot resolve host 'nowhere.invalid'")]
    public void Api_addresses_that_cannot_be_used_are_one_line_naming_the_option(string text, string says)
    {
        var e = Assert.Throws<CliException>(() => ApiListen.Parse(text, "--api", Nowhere));
        Assert.StartsWith($"--api: ", e.Message);
        Assert.Contains(says, e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8086", "http://127.0.0.1:8086/")]
    [InlineData("https://influx.bank.local", "https://influx.bank.local/")]
    public void Influx_takes_http_and_https_urls(string text, string url)
    {
        Assert.Equal(new Uri(url), InfluxUrl.Parse(text));
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("127.0.0.1:8086")]
    [InlineData("ftp://127.0.0.1:8086")]
    [InlineData("/var/run/influx")]
    public void Influx_refuses_anything_but_an_http_url(string text)
    {
        Assert.StartsWith("--influx: ", Assert.Throws<CliException>(() => InfluxUrl.Parse(text)).Message);
    }
}
