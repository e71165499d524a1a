using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Funnel.Samples.WebCrm.Tests;

public sealed partial class WebCrmEndpointTests
{
    [Fact]
    public async Task CreateGetAndMoveALead_ThenItsHistoryAndTheBoardShowIt()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();

        var created = await client.PostAsJsonAsync("/api/leads", new { id = "acme", company = "ACME" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/leads/acme", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/leads", new { id = "acme" })).StatusCode);

        var moved = await client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "proposal", expectedVersion = 0, actor = "anna" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var lead = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("proposal", lead.GetProperty("stage").GetString());
        Assert.Equal(1, lead.GetProperty("version").GetInt64());

        var got = await client.GetFromJsonAsync<JsonElement>("/api/leads/acme");
        Assert.Equal(["request", "proposal"], got.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()!));
        Assert.Equal("anna", got.GetProperty("history")[1].GetProperty("actor").GetString());
        Assert.Equal("ACME", got.GetProperty("company").GetString());

        await client.PostAsJsonAsync("/api/leads", new { id = "globex" });
        var board = await client.GetFromJsonAsync<JsonElement>("/api/board");
        var columns = board.GetProperty("stages").EnumerateArray().ToDictionary(c => c.GetProperty("stage").GetString()!, c => c.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToArray());
        Assert.Equal(["globex"], columns["request"]);
        Assert.Equal(["acme"], columns["proposal"]);
        Assert.Empty(columns["invoice"]);
    }

    [Fact]
    public async Task ARejectedMove_Is422WithEveryViolation_AnUnknownStageOrReasonIsNamed_AndNothingIsSaved()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/leads", new { id = "acme" });

        var skip = await client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "won" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, skip.StatusCode);
        Assert.Equal("application/problem+json", skip.Content.Headers.ContentType?.MediaType);
        var problem = await skip.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        var rules = problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("ruleId").GetString()!).ToArray();
        Assert.Equal(["funnel.transition-allowed", "no-skipping-key-stages"], rules);

        var unknownStage = await client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "heaven" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownStage.StatusCode);
        Assert.Contains("heaven", await unknownStage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknownReason = await client.PostAsJsonAsync("/api/leads/acme/lost", new { reason = "bad-weather" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownReason.StatusCode);
        Assert.Contains("'bad-weather' is not a loss reason of 'b2b'; known: slow-response, price, competitor, not-qualified.", await unknownReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var lead = await client.GetFromJsonAsync<JsonElement>("/api/leads/acme");
        Assert.Equal(0, lead.GetProperty("version").GetInt64());
        Assert.Single(lead.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task MarkLost_UnknownLead_StaleVersion_AndAMalformedBody_GiveTheirStatusCodes()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/leads", new { id = "acme" });

        var lost = await client.PostAsJsonAsync("/api/leads/acme/lost", new { reason = "price", comment = "too expensive" });
        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        var lead = await lost.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("lost", lead.GetProperty("status").GetString());
        Assert.Equal("price", lead.GetProperty("lossReason").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/leads/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/leads/nobody/move", new { stage = "proposal" })).StatusCode);

        await client.PostAsJsonAsync("/api/leads", new { id = "globex" });
        var stale = await client.PostAsJsonAsync("/api/leads/globex/move", new { stage = "proposal", expectedVersion = 3 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(0, (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("storedVersion").GetInt64());

        var malformed = await client.PostAsync("/api/leads/globex/move", new StringContent("{\"stage\": 5}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("$.stage", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());

        var missing = await client.PostAsJsonAsync("/api/leads/globex/move", new { note = "no stage" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("$.stage", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
    }

    [Fact]
    public async Task ConcurrentMovesOfOneLead_OneWins_TheOthersGet409()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/leads", new { id = "acme" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "proposal", expectedVersion = 0 })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/leads/acme")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task EnteringInvoice_WritesAnOutboxMessage_ThatTheDispatcherDelivers()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/leads", new { id = "acme" });
        await client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "proposal" });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/leads/acme/move", new { stage = "invoice" })).StatusCode);

        JsonElement outbox;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            outbox = await client.GetFromJsonAsync<JsonElement>("/api/outbox");
        }
        while (outbox.GetProperty("delivered").GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(0, outbox.GetProperty("pending").GetInt64());
        var delivered = Assert.Single(outbox.GetProperty("delivered").EnumerateArray());
        Assert.Contains("Send the invoice for acme", delivered.GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportPage_ChartNumbersEqualTheApi_AndOpenApiAndHealthAndBoardPageAreServed()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await client.PostAsJsonAsync("/api/leads", new { id });
        }

        await client.PostAsJsonAsync("/api/leads/a/move", new { stage = "proposal" });
        await client.PostAsJsonAsync("/api/leads/b/move", new { stage = "proposal" });
        await client.PostAsJsonAsync("/api/leads/b/move", new { stage = "invoice" });
        await client.PostAsJsonAsync("/api/leads/c/lost", new { reason = "competitor" });

        var numbers = await client.GetFromJsonAsync<JsonElement>("/api/report");
        var html = await client.GetStringAsync("/report");
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        var chart = StageCounts().Matches(html).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var stage in numbers.GetProperty("stages").EnumerateArray())
        {
            Assert.Equal(stage.GetProperty("reached").GetInt64(), chart[stage.GetProperty("stage").GetString()!]);
        }

        Assert.Equal(3, chart["request"]);
        Assert.Equal(2, chart["proposal"]);

        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/leads", paths);
        Assert.Contains("/api/leads/{id}/move", paths);
        Assert.Contains("/api/leads/{id}/lost", paths);
        Assert.Contains("/api/board", paths);

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        var board = await client.GetStringAsync("/");
        Assert.Contains("data-lead=\"b\"", board, StringComparison.Ordinal);
        Assert.Contains("Move to Won", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBoardsMoveButton_PostsTheFormAndMovesTheLead()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await client.PostAsJsonAsync("/api/leads", new { id = "acme" });

        var posted = await client.PostAsync("/board/move", new FormUrlEncodedContent([new("id", "acme"), new("version", "0"), new("stage", "proposal")]));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/", posted.Headers.Location?.OriginalString);
        Assert.Equal("proposal", (await client.GetFromJsonAsync<JsonElement>("/api/leads/acme")).GetProperty("stage").GetString());

        var stale = await client.PostAsync("/board/move", new FormUrlEncodedContent([new("id", "acme"), new("version", "0"), new("stage", "invoice")]));
        Assert.StartsWith("/?error=VersionConflict", stale.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBoardsAddAndLostForms_SaveTheLead_AndNameWhatIsWrong()
    {
        await using var factory = new WebCrmFactory();
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var added = await client.PostAsync("/board/leads", new FormUrlEncodedContent([new("id", "acme"), new("company", "ACME")]));
        Assert.Equal("/", added.Headers.Location?.OriginalString);
        Assert.Equal("ACME", (await client.GetFromJsonAsync<JsonElement>("/api/leads/acme")).GetProperty("company").GetString());
        var twice = await client.PostAsync("/board/leads", new FormUrlEncodedContent([new("id", "acme")]));
        Assert.Equal("/?error=" + Uri.EscapeDataString("A lead with id 'acme' exists already."), twice.Headers.Location?.OriginalString);

        var unknown = await client.PostAsync("/board/lost", new FormUrlEncodedContent([new("id", "acme"), new("version", "0"), new("reason", "bad-weather")]));
        Assert.Equal("/?error=" + Uri.EscapeDataString("'bad-weather' is not a loss reason of 'b2b'."), unknown.Headers.Location?.OriginalString);
        var lost = await client.PostAsync("/board/lost", new FormUrlEncodedContent([new("id", "acme"), new("version", "0"), new("reason", "price")]));
        Assert.Equal("/", lost.Headers.Location?.OriginalString);
        var lead = await client.GetFromJsonAsync<JsonElement>("/api/leads/acme");
        Assert.Equal("lost", lead.GetProperty("status").GetString());
        Assert.Equal("price", lead.GetProperty("lossReason").GetString());
    }

    [GeneratedRegex("data-stage=\"([^\"]+)\" data-reached=\"([0-9]+)\"")]
    private static partial Regex StageCounts();
}
