using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Journeys;
using Microsoft.AspNetCore.Mvc;

namespace Funnel.Samples.WebCrm;

/// <summary>The CRM's JSON endpoints under <c>/api</c>.</summary>
public static class CrmApi
{
    /// <summary>The definition key of the sample's funnel.</summary>
    public const string FunnelKey = "b2b";

    /// <summary>Maps the endpoints.</summary>
    /// <param name="app">The app.</param>
    public static void MapCrmApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");

        api.MapPost("/leads", async (CreateLead body, FunnelJourneyWorkflow workflow) =>
        {
            if (string.IsNullOrWhiteSpace(body.Id))
            {
                return Problem400("$.id", "The lead id is required.");
            }

            var attributes = body.Company is null ? null : new[] { KeyValuePair.Create("company", body.Company) };
            var change = await workflow.StartAsync(FunnelKey, body.Id, body.Actor, attributes);
            return change.Outcome == JourneyChangeOutcome.Saved
                ? Results.Created($"/api/leads/{Uri.EscapeDataString(body.Id)}", LeadView.Of(change.Journey!))
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The lead exists already.", detail: $"A lead with id '{body.Id}' exists (version {change.StoredVersion}).");
        }).WithName("CreateLead");

        api.MapPost("/leads/{id}/move", async (string id, MoveLead body, FunnelJourneyWorkflow workflow) =>
        {
            if (string.IsNullOrWhiteSpace(body.Stage))
            {
                return Problem400("$.stage", "The target stage is required.");
            }

            return ToResult(await workflow.MoveAsync(id, new StageKey(body.Stage), body.ExpectedVersion, body.Actor, body.Note));
        }).WithName("MoveLead");

        api.MapPost("/leads/{id}/lost", async (string id, MarkLost body, FunnelJourneyWorkflow workflow, [FromKeyedServices(FunnelKey)] FunnelDefinition definition) =>
        {
            if (string.IsNullOrWhiteSpace(body.Reason))
            {
                return Problem400("$.reason", "The loss reason is required.");
            }

            if (!definition.TryGetLossReason(new LossReasonKey(body.Reason), out _))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The lead cannot be marked lost.",
                    detail: $"'{body.Reason}' is not a loss reason of '{definition.Key}'; known: {string.Join(", ", definition.LossReasons.Select(r => r.Key.Value))}.");
            }

            return ToResult(await workflow.MarkLostAsync(id, new LossReasonKey(body.Reason), body.ExpectedVersion, body.Actor, body.Comment));
        }).WithName("MarkLeadLost");

        api.MapGet("/leads/{id}", async (string id, JourneyStore store) =>
            await store.LoadAsync(id) is { } journey
                ? Results.Ok(LeadView.Of(journey))
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such lead.", detail: $"No lead has id '{id}'."))
            .WithName("GetLead");

        api.MapGet("/board", async (JourneyStore store, [FromKeyedServices(FunnelKey)] FunnelDefinition definition) =>
            Results.Ok(BoardView.Of(definition, await LoadAllAsync(store))))
            .WithName("GetBoard");

        api.MapGet("/report", async (JourneyStore store, [FromKeyedServices(FunnelKey)] FunnelDefinition definition) =>
        {
            var report = FunnelReport.Compute(definition, await LoadAllAsync(store));
            return Results.Ok(new ReportView(report.Leads, report.Won, report.Lost, report.Stages.Select(s => new StageCount(s.Stage.Key.Value, s.Reached)).ToArray()));
        }).WithName("GetReportNumbers");

        api.MapGet("/outbox", async (JourneyStore store, TaskInbox inbox) =>
        {
            var status = await store.GetOutboxStatusAsync();
            return Results.Ok(new OutboxView(status.PendingCount, status.ParkedCount, inbox.Delivered.Select(p => new DeliveredMessage(p.Key, p.Value)).ToArray()));
        }).WithName("GetOutbox");
    }

    /// <summary>Every lead of the sample's funnel, page by page.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The journeys.</returns>
    public static async Task<List<Journey>> LoadAllAsync(JourneyStore store)
    {
        var all = new List<Journey>();
        var query = JourneyQuery.All.ForFunnel(FunnelKey);
        while (true)
        {
            var page = await store.QueryAsync(query);
            all.AddRange(page);
            if (page.Count < query.Limit)
            {
                return all;
            }

            query = query.After(page[^1].Id);
        }
    }

    private static IResult ToResult(JourneyChange change) => change.Outcome switch
    {
        JourneyChangeOutcome.Saved => Results.Ok(LeadView.Of(change.Journey!)),
        JourneyChangeOutcome.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such lead.", detail: $"No lead has id '{change.JourneyId}'."),
        JourneyChangeOutcome.VersionConflict => Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The lead was changed meanwhile.",
            detail: $"Lead '{change.JourneyId}' is at version {change.StoredVersion}; reload it and try again.",
            extensions: new Dictionary<string, object?> { ["storedVersion"] = change.StoredVersion }),
        _ => Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The rules rejected the change.",
            detail: string.Join(" ", change.Violations.Select(v => v.Message)),
            extensions: new Dictionary<string, object?>
            {
                ["violations"] = change.Violations.Select(v => new ViolationView(v.RuleId, v.Message)).ToArray(),
            }),
    };

    private static IResult Problem400(string path, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is incomplete.", detail: $"{path}: {detail}", extensions: new Dictionary<string, object?> { ["path"] = path });
}

/// <summary>The body of <c>POST /api/leads</c>.</summary>
/// <param name="Id">The lead id.</param>
/// <param name="Company">The company, stored as an attribute; optional.</param>
/// <param name="Actor">Who created it; optional.</param>
public sealed record CreateLead(string? Id, string? Company = null, string? Actor = null);

/// <summary>The body of <c>POST /api/leads/{id}/move</c>.</summary>
/// <param name="Stage">The target stage key.</param>
/// <param name="ExpectedVersion">The version the client last saw; a different stored version gives 409.</param>
/// <param name="Actor">Who moves it; optional.</param>
/// <param name="Note">A note; optional.</param>
public sealed record MoveLead(string? Stage, long? ExpectedVersion = null, string? Actor = null, string? Note = null);

/// <summary>The body of <c>POST /api/leads/{id}/lost</c>.</summary>
/// <param name="Reason">The loss reason key.</param>
/// <param name="ExpectedVersion">The version the client last saw; optional.</param>
/// <param name="Actor">Who marks it; optional.</param>
/// <param name="Comment">A comment; optional.</param>
public sealed record MarkLost(string? Reason, long? ExpectedVersion = null, string? Actor = null, string? Comment = null);

/// <summary>A rule violation in a 422 response.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Message">Why.</param>
public sealed record ViolationView(string RuleId, string Message);

/// <summary>The numbers of the report, for clients and for checking the chart.</summary>
/// <param name="Leads">All leads.</param>
/// <param name="Won">Won leads.</param>
/// <param name="Lost">Lost leads.</param>
/// <param name="Stages">Leads that reached each stage.</param>
public sealed record ReportView(long Leads, long Won, long Lost, IReadOnlyList<StageCount> Stages);

/// <summary>Leads that reached a stage.</summary>
/// <param name="Stage">The stage key.</param>
/// <param name="Reached">The count.</param>
public sealed record StageCount(string Stage, long Reached);

/// <summary>The outbox state and what the handler delivered.</summary>
/// <param name="Pending">Messages waiting.</param>
/// <param name="Parked">Messages parked.</param>
/// <param name="Delivered">Delivered messages.</param>
public sealed record OutboxView(long Pending, long Parked, IReadOnlyList<DeliveredMessage> Delivered);

/// <summary>A delivered outbox message.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Command">The command text.</param>
public sealed record DeliveredMessage(long Id, string Command);
