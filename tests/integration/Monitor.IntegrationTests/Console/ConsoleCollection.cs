using Microsoft.Playwright;
using Xunit;

namespace Monitor.IntegrationTests.Console;

/// <summary>The console's browser tests share one replayed bank and one Chromium, and run one after the other (each works on alerts of its own).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleBank>
{
    public const string Name = "console";

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or 10 s pass (false): what a page did reaches the store after its call returns.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    /// <summary>
    /// Does <paramref name="action"/> (a click, a navigation) and waits until the console has rendered a page after it: the
    /// count of pages rendered (<c>#main</c>'s <c>data-renders</c>) has gone up, so nothing read next is the page before.
    /// </summary>
    public static async Task Rendered(IPage page, Func<Task> action)
    {
        const string count = "() => Number(document.getElementById('main')?.dataset.renders ?? 0)";
        var before = await page.EvaluateAsync<int>(count);
        await action();
        try
        {
            await page.WaitForFunctionAsync($"n => ({count})() > n", before);
        }
        catch (TimeoutException)
        {
            await ConsoleBank.ScreenshotAsync(page, "not-rendered"); // what the page showed instead, with the test results
            throw;
        }
    }

    /// <summary>Goes to the console's <paramref name="hash"/> (e.g. <c>#/queue?state=all</c>) and waits for the page.</summary>
    public static Task Go(IPage page, ConsoleBank bank, string hash) => Rendered(page, () => page.GotoAsync(bank.Api.Address + hash));

    /// <summary>Confirms the open dialog, first typing <paramref name="reason"/> when given (and, with <paramref name="choice"/>, picking it).</summary>
    public static async Task ConfirmDialog(IPage page, string? reason = null, string? choice = null)
    {
        await page.WaitForSelectorAsync("dialog.ask[open]");
        if (choice is not null) await page.SelectOptionAsync("#dialog-choice", choice);
        if (reason is not null) await page.FillAsync("#dialog-reason", reason);
        await page.ClickAsync("#dialog-confirm");
        await page.WaitForSelectorAsync("dialog.ask", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
    }
}
