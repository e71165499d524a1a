using System.Text.Json;

namespace Funnel.Samples.WebCrm;

/// <summary>Turns a request body that cannot be read into HTTP 400 ProblemDetails naming the JSON path of the problem.</summary>
public sealed class BadRequestProblems(RequestDelegate next)
{
    /// <summary>Runs the rest of the pipeline.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task.</returns>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var json = ex.InnerException as JsonException;
            var detail = json is null
                ? ex.Message
                : $"The request body is not valid at {json.Path ?? "$"}: {json.Message}";
            await Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request body cannot be read.",
                extensions: json?.Path is { } path ? new Dictionary<string, object?> { ["path"] = path } : null).ExecuteAsync(context);
        }
    }
}
