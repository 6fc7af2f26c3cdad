using Monitor.Contracts;
using Monitor.Testing;
using Xunit;

namespace Monitor.Store.Tests;

/// <summary>Users' closed days and the daily sheet built from them, whichever database.</summary>
public abstract partial class StoreContract
{
    private static UserDay Day(string user, int reads, params SampledQuery[] sample) => new()
    {
        UserId = user, BranchId = "SB0101", EmployeeId = "E" + user, Day = "2026-03-02",
        Reads = new Dictionary<string, int> { ["loan_approval"] = reads, ["self_query"] = 1 }, NeedingAuthorization = reads, Authorized = reads - 1,
        Logins = 1, Sample = sample,
    };

    private static SampledQuery Spot(string eventId) => new(eventId, Ev.Monday10, "loan_approval", "individual", "S-" + eventId, "AUTH-" + eventId);

    [Fact]
    public async Task A_closed_day_recorded_again_by_a_redelivery_stays_one_line_of_the_branch_days_sheet()
    {
        var (store, _) = await NewAsync();
        await store.RecordAsync([Samples.Alert("al-1", user: "UA0101")], [], [], [Day("UA0101", 4, Spot("e1"), Spot("e7")), Day("QO0102", 2)]);
        await store.RecordAsync([], [], [], [Day("UA0101", 4, Spot("e1"), Spot("e7"))]);

        var sheet = (await store.SheetAsync("SB0101", "2026-03-02"))!;

        Assert.Equal(["QO0102", "UA0101"], sheet.Users.Select(u => u.UserId));
        Assert.Equal([3, 5], sheet.Users.Select(u => u.ReadsTotal));
        Assert.Equal([0, 1], sheet.Users.Select(u => u.Findings));
        Assert.Equal((8, 6, 4, 1), (sheet.Totals.ReadsTotal, sheet.Totals.NeedingAuthorization, sheet.Totals.Authorized, sheet.Totals.Findings));
        Assert.Equal(6, sheet.Totals.Reads["loan_approval"]);
        // The finding is an item; of the two spot checks, e1 is the finding's evidence already.
        Assert.Equal(["finding:al-1", "spot-check:e7"], sheet.Items.Select(i => i.ItemId));
        Assert.Null(await store.SheetAsync("SB0101", "2026-03-03"));
        Assert.Null(await store.SheetAsync("SB0102", "2026-03-02"));
    }
}
