using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Funnel.Samples.WebCrm.Tests;

/// <summary>The sample app in process, over its own SQLite file in a temporary folder (created at start, deleted after).</summary>
public sealed class WebCrmFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("webcrm-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WebCrm:SqliteFile", Path.Combine(_folder, "crm.db"));
        builder.UseSetting("Funnel:Outbox:PollInterval", "00:00:00.050");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
