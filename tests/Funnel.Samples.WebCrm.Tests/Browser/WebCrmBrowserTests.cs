using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Funnel.Samples.WebCrm.Tests.Browser;

/// <summary>
/// The sample as a user sees it: the app on a real Kestrel port, driven by headless Chromium through Playwright. Every
/// step clicks or types on the page and checks the text the page shows.
/// </summary>
public sealed class WebCrmBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AUserAddsLeads_MovesOneThroughTheFunnel_SeesARefusedSkip_MarksOneLost_AndTheReportFollows()
    {
        var clock = Stopwatch.StartNew();
        await using var app = new WebCrmFactory();
        app.UseKestrel(0);
        app.StartServer();
        var baseUrl = app.ClientOptions.BaseAddress;
        using var api = app.CreateClient();
        var started = clock.Elapsed;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await SystemChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl.ToString() });
        var launched = clock.Elapsed;
        page.SetDefaultTimeout(20_000);
        SetDefaultExpectTimeout(20_000);

        // The empty board.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "B2B pipeline" })).ToBeVisibleAsync();
        await Expect(Column(page, "request").Locator("h2")).ToHaveTextAsync("Request (0)");

        // Three leads typed into the form.
        foreach (var (id, company) in new[] { ("acme", "ACME Corp"), ("globex", "Globex"), ("initech", "Initech") })
        {
            await page.GetByLabel("New lead").FillAsync(id);
            await page.GetByLabel("Company").FillAsync(company);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add lead" }).ClickAsync();
            await Expect(Lead(page, id)).ToContainTextAsync(company);
        }

        await Expect(Column(page, "request").Locator("h2")).ToHaveTextAsync("Request (3)");

        // The report before any move: every lead at the top, nobody further.
        await page.GotoAsync("/report");
        await Expect(ChartStage(page, "request")).ToContainTextAsync("3 leads");
        await Expect(ChartStage(page, "proposal")).ToContainTextAsync("0 leads");
        await page.GotoAsync("/");

        // acme to Proposal with the card's button.
        await Lead(page, "acme").GetByRole(AriaRole.Button, new() { Name = "Move to Proposal" }).ClickAsync();
        await Expect(Column(page, "proposal").Locator("h2")).ToHaveTextAsync("Proposal (1)");
        await Expect(Column(page, "proposal")).ToContainTextAsync("acme");

        // Straight to Won would skip the key stage Invoice: the rules refuse it, the page says why, and nothing moved.
        await Lead(page, "acme").GetByLabel("Stage for acme").SelectOptionAsync(new SelectOptionValue { Label = "Won" });
        await Lead(page, "acme").GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert);
        await Expect(refusal).ToBeVisibleAsync();
        await Expect(refusal).ToHaveTextAsync("The move 'proposal' -> 'won' skips the key stage(s) invoice.");
        await Expect(Column(page, "proposal")).ToContainTextAsync("acme");
        await Expect(Column(page, "won").Locator("h2")).ToHaveTextAsync("Won (0)");

        // The allowed way: Invoice, then Won.
        await Lead(page, "acme").GetByRole(AriaRole.Button, new() { Name = "Move to Invoice" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(Column(page, "invoice")).ToContainTextAsync("acme");
        await Lead(page, "acme").GetByRole(AriaRole.Button, new() { Name = "Move to Won" }).ClickAsync();
        await Expect(Column(page, "won").Locator("h2")).ToHaveTextAsync("Won (1)");
        await Expect(Column(page, "won")).ToContainTextAsync("acme");

        // globex lost to a competitor.
        await Lead(page, "globex").GetByLabel("Loss reason for globex").SelectOptionAsync(new SelectOptionValue { Label = "Chose a competitor" });
        await Lead(page, "globex").GetByRole(AriaRole.Button, new() { Name = "Mark lost" }).ClickAsync();
        await Expect(Column(page, "lost").Locator("h2")).ToHaveTextAsync("Lost (1)");
        await Expect(Column(page, "lost")).ToContainTextAsync("globex — competitor");
        await Expect(Column(page, "request").Locator("h2")).ToHaveTextAsync("Request (1)");

        // The report now: the chart's visible numbers are the API's, and they moved.
        await page.GotoAsync("/report");
        var numbers = await api.GetFromJsonAsync<JsonElement>("/api/report");
        var reached = numbers.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("reached").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["request"] = 3, ["proposal"] = 1, ["invoice"] = 1, ["won"] = 1 }, reached);
        foreach (var (stage, count) in reached)
        {
            await Expect(ChartStage(page, stage)).ToContainTextAsync($"{count} leads");
        }

        Assert.Equal(1, numbers.GetProperty("won").GetInt64());
        Assert.Equal(1, numbers.GetProperty("lost").GetInt64());
        await Expect(page.Locator("section[aria-label='Funnel chart'] svg")).ToContainTextAsync("competitor");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"app on {baseUrl} in {started.TotalSeconds:0.0} s, Chromium {browser.Version} launched in {(launched - started).TotalSeconds:0.0} s, the user's session took {(clock.Elapsed - launched).TotalSeconds:0.0} s"));
    }

    private static ILocator Column(IPage page, string stage) => page.Locator($"section.column[data-stage='{stage}']");

    private static ILocator Lead(IPage page, string id) => page.Locator($".lead[data-lead='{id}']");

    private static ILocator ChartStage(IPage page, string stage) => page.Locator($"svg g.stage[data-stage='{stage}']");
}
