using System.Net;
using System.Text;
using System.Text.Json;
using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// POSTs a notice to a webhook, a WeCom or a DingTalk group robot. A 2xx answer delivers (for the robots, only with
/// <c>errcode</c> 0 in the answer: they answer 200 to a refused message). No answer in time, 408, 429, a 5xx, or a
/// robot's refusal (its rate limit among them) is retried; any other 4xx, and a robot whose key or signature is not
/// accepted, is not: retrying cannot make it right.
/// </summary>
public sealed class HttpSender(HttpClient http, TimeProvider clock) : ISender
{
    /// <summary>Robot errors that no retry mends: WeCom's invalid webhook (93000); DingTalk's unknown token (300001), failed signature, keyword or address check (310000).</summary>
    private static readonly HashSet<int> Permanent = [93000, 300001, 310000];

    public async Task<DeliveryOutcome> SendAsync(Notice notice, Recipient to, TimeSpan timeout, CancellationToken ct)
    {
        var c = to.Channel;
        using var request = new HttpRequestMessage(HttpMethod.Post, MessageFormats.Address(c, clock.GetUtcNow()))
        {
            Content = new StringContent(MessageFormats.Body(notice, c), Encoding.UTF8, "application/json"),
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed(e.InnerException?.Message ?? e.Message);
        }
        using (response)
        {
            var status = $"HTTP {(int)response.StatusCode}";
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
            {
                if (c.Type is not (NotificationChannel.WeCom or NotificationChannel.DingTalk)) return DeliveryOutcome.Ok(status);
                var (err, message) = RobotAnswer(await ReadAsync(response, cts.Token));
                if (err == 0) return DeliveryOutcome.Ok($"{status}, errcode 0");
                var detail = err is null ? $"{status}, but not a robot's answer" : $"{status}, errcode {err}: {message}";
                return err is { } e && Permanent.Contains(e) ? DeliveryOutcome.Refused(detail) : DeliveryOutcome.Failed(detail);
            }
            var why = $"{status} {response.ReasonPhrase}".TrimEnd();
            return code is 408 or 429 or >= 500 ? DeliveryOutcome.Failed(why) : DeliveryOutcome.Refused(why);
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage r, CancellationToken ct)
    {
        try
        {
            return await r.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }

    /// <summary>The robots' <c>{"errcode": 0, "errmsg": "ok"}</c>; null when the answer is not that.</summary>
    private static (int? Code, string? Message) RobotAnswer(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var n))
                return (n, doc.RootElement.TryGetProperty("errmsg", out var m) ? m.ToString() : null);
        }
        catch (JsonException)
        {
        }
        return (null, null);
    }
}
