using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Monitor.Contracts;

namespace Monitor.Notify;

/// <summary>
/// Sends a notice as an email through the settings' SMTP server (MailKit): one message to the channel's addresses,
/// plain text in UTF-8. A server that cannot be reached, a dropped connection or a 4xx reply is retried; a 5xx reply
/// to the sender, a recipient or the message, and a refused login, are not.
/// </summary>
public sealed class SmtpSender(Func<SmtpSettings?> settings) : ISender
{
    public async Task<DeliveryOutcome> SendAsync(Notice notice, Recipient to, TimeSpan timeout, CancellationToken ct)
    {
        if (settings() is not { } s) return DeliveryOutcome.Refused("no notifications.smtp in the settings");
        var (subject, text) = MessageFormats.Email(notice, to.Channel);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(s.From));
        foreach (var address in to.Channel.To) message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds) };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(s.Host, s.Port, s.Security switch
            {
                "ssl" => SecureSocketOptions.SslOnConnect,
                "required" => SecureSocketOptions.StartTls,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            }, cts.Token);
            if (s.User is { } user) await client.AuthenticateAsync(user, s.Password ?? "", cts.Token);
            var reply = await client.SendAsync(message, cts.Token);
            await client.DisconnectAsync(quit: true, cts.Token);
            return DeliveryOutcome.Ok($"SMTP {s.Host}:{s.Port}: {reply}".Trim());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"SMTP {s.Host}:{s.Port}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (SmtpCommandException e)
        {
            var detail = $"SMTP {s.Host}:{s.Port}: {(int)e.StatusCode} {e.Message}";
            return (int)e.StatusCode >= 500 ? DeliveryOutcome.Refused(detail) : DeliveryOutcome.Failed(detail);
        }
        catch (AuthenticationException e)
        {
            return DeliveryOutcome.Refused($"SMTP {s.Host}:{s.Port}: login refused ({e.Message})");
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException or SslHandshakeException)
        {
            return DeliveryOutcome.Failed($"SMTP {s.Host}:{s.Port}: {e.Message}");
        }
    }
}
