using System.Globalization;
using System.Net;
using System.Text;
using Funnel.Core;
using Funnel.Core.Metrics;
using Funnel.Core.Storage;
using Funnel.Extensions.Hosting.Journeys;
using Funnel.Reporting;
using Microsoft.AspNetCore.Mvc;

namespace Funnel.Samples.WebCrm;

/// <summary>The server-rendered pages: the board with a move button per lead, and the HTML report.</summary>
public static class CrmPages
{
    /// <summary>Maps the pages.</summary>
    /// <param name="app">The app.</param>
    public static void MapCrmPages(this WebApplication app)
    {
        app.MapGet("/", async (JourneyStore store, [FromKeyedServices(CrmApi.FunnelKey)] FunnelDefinition definition, string? error) =>
            Results.Content(RenderBoard(definition, BoardView.Of(definition, await CrmApi.LoadAllAsync(store)), error), "text/html; charset=utf-8"))
            .ExcludeFromDescription();

        app.MapPost("/board/move", async (HttpRequest request, FunnelJourneyWorkflow workflow) =>
        {
            var form = await request.ReadFormAsync();
            var id = form["id"].ToString();
            var stage = form["stage"].ToString();
            long? version = long.TryParse(form["version"], out var v) ? v : null;
            var change = stage == "won"
                ? await workflow.MarkWonAsync(id, version, "board")
                : await workflow.MoveAsync(id, new StageKey(stage), version, "board");
            return BackToBoard(change.Succeeded ? null : ErrorText(change));
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapPost("/board/leads", async (HttpRequest request, FunnelJourneyWorkflow workflow) =>
        {
            var form = await request.ReadFormAsync();
            var id = form["id"].ToString().Trim();
            var company = form["company"].ToString().Trim();
            if (id.Length == 0)
            {
                return BackToBoard("A new lead needs an id.");
            }

            var change = await workflow.StartAsync(CrmApi.FunnelKey, id, "board", company.Length == 0 ? null : [KeyValuePair.Create("company", company)]);
            return BackToBoard(change.Succeeded ? null : change.Outcome == JourneyChangeOutcome.AlreadyExists ? $"A lead with id '{id}' exists already." : ErrorText(change));
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapPost("/board/lost", async (HttpRequest request, FunnelJourneyWorkflow workflow, [FromKeyedServices(CrmApi.FunnelKey)] FunnelDefinition definition) =>
        {
            var form = await request.ReadFormAsync();
            var reason = form["reason"].ToString();
            if (!definition.TryGetLossReason(new LossReasonKey(reason), out _))
            {
                return BackToBoard($"'{reason}' is not a loss reason of '{definition.Key}'.");
            }

            long? version = long.TryParse(form["version"], out var v) ? v : null;
            var change = await workflow.MarkLostAsync(form["id"].ToString(), new LossReasonKey(reason), version, "board");
            return BackToBoard(change.Succeeded ? null : ErrorText(change));
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapGet("/report", async (JourneyStore store, [FromKeyedServices(CrmApi.FunnelKey)] FunnelDefinition definition) =>
        {
            var report = FunnelReport.Compute(definition, await CrmApi.LoadAllAsync(store));
            return Results.Content(new HtmlReportBuilder(report).WithTitle("Web CRM pipeline").Build(), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }

    // Post, redirect, get: the board again, with the error (if any) shown at its top.
    private static IResult BackToBoard(string? error) => Results.Redirect(error is null ? "/" : "/?error=" + Uri.EscapeDataString(error));

    // A refusal shows every violation; any other failure (VersionConflict, NotFound) by its outcome name.
    private static string ErrorText(JourneyChange change) =>
        change.Outcome == JourneyChangeOutcome.Rejected ? string.Join(" ", change.Violations.Select(x => x.Message)) : change.Outcome.ToString();

    private static string RenderBoard(FunnelDefinition definition, BoardView board, string? error)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{E(value)}\">";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Web CRM board</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:1.5rem}.board{display:flex;gap:1rem}.column{background:#f3f4f6;padding:.5rem;min-width:12rem;border-radius:6px}")
            .Append(".lead{background:#fff;margin:.5rem 0;padding:.5rem;border-radius:4px;box-shadow:0 1px 2px #0002}.lead form{margin-top:.3rem}.error{color:#991b1b}</style></head><body>")
            .Append("<h1>").Append(E(definition.DisplayName)).Append("</h1><p><a href=\"/report\">Report</a> · <a href=\"/openapi/v1.json\">OpenAPI</a> · <a href=\"/health\">Health</a></p>");
        if (!string.IsNullOrEmpty(error))
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/board/leads\"><label>New lead <input name=\"id\" required></label> <label>Company <input name=\"company\"></label> <button type=\"submit\">Add lead</button></form>")
            .Append("<div class=\"board\">");
        foreach (var column in board.Stages)
        {
            var stage = definition.GetStage(new StageKey(column.Stage));
            var next = definition.Stages[stage.Order + 1];
            html.Append("<section class=\"column\" data-stage=\"").Append(E(column.Stage)).Append("\"><h2>").Append(E(column.Name))
                .Append(" (").Append(column.Leads.Count).Append(")</h2>");
            foreach (var lead in column.Leads)
            {
                html.Append("<div class=\"lead\" data-lead=\"").Append(E(lead.Id)).Append("\"><strong>").Append(E(lead.Id)).Append("</strong> ").Append(E(lead.Company))
                    .Append("<form method=\"post\" action=\"/board/move\"><input type=\"hidden\" name=\"id\" value=\"").Append(E(lead.Id))
                    .Append("\"><input type=\"hidden\" name=\"version\" value=\"").Append(lead.Version)
                    .Append("\"><input type=\"hidden\" name=\"stage\" value=\"").Append(E(next.Key.Value))
                    .Append("\"><button type=\"submit\">Move to ").Append(E(next.DisplayName)).Append("</button></form>");

                // Any other stage, so a user can try a move the rules refuse (the refusal is shown at the top).
                html.Append("<form method=\"post\" action=\"/board/move\">").Append(Hidden("id", lead.Id)).Append(Hidden("version", lead.Version.ToString(CultureInfo.InvariantCulture)))
                    .Append("<select name=\"stage\" aria-label=\"Stage for ").Append(E(lead.Id)).Append("\">");
                foreach (var target in definition.Stages.Where(s => s.Key != stage.Key))
                {
                    html.Append("<option value=\"").Append(E(target.Key.Value)).Append("\">").Append(E(target.DisplayName)).Append("</option>");
                }

                html.Append("</select><button type=\"submit\">Move</button></form>")
                    .Append("<form method=\"post\" action=\"/board/lost\">").Append(Hidden("id", lead.Id)).Append(Hidden("version", lead.Version.ToString(CultureInfo.InvariantCulture)))
                    .Append("<select name=\"reason\" aria-label=\"Loss reason for ").Append(E(lead.Id)).Append("\">");
                foreach (var reason in definition.LossReasons)
                {
                    html.Append("<option value=\"").Append(E(reason.Key.Value)).Append("\">").Append(E(reason.DisplayName)).Append("</option>");
                }

                html.Append("</select><button type=\"submit\">Mark lost</button></form></div>");
            }

            html.Append("</section>");
        }

        html.Append("<section class=\"column\" data-stage=\"won\"><h2>Won (").Append(board.Won.Count).Append(")</h2>");
        foreach (var lead in board.Won)
        {
            html.Append("<div class=\"lead\" data-lead=\"").Append(E(lead.Id)).Append("\">").Append(E(lead.Id)).Append("</div>");
        }

        html.Append("</section><section class=\"column\" data-stage=\"lost\"><h2>Lost (").Append(board.Lost.Count).Append(")</h2>");
        foreach (var lead in board.Lost)
        {
            html.Append("<div class=\"lead\" data-lead=\"").Append(E(lead.Id)).Append("\">").Append(E(lead.Id)).Append(" — ").Append(E(lead.LossReason)).Append("</div>");
        }

        return html.Append("</section></div></body></html>").ToString();
    }
}
