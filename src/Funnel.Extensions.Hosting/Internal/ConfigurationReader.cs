using System.Globalization;
using Funnel.Extensions.DependencyInjection;
using Funnel.Extensions.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Funnel.Extensions.Hosting.Internal;

/// <summary>
/// Reads the <c>"Funnel"</c> section by hand (no reflection binder, so trimmed and AOT apps work): every value that
/// does not parse and every unknown key becomes a problem with its configuration path, reported all at once.
/// </summary>
internal static class ConfigurationReader
{
    private static readonly string[] Sections = ["Definitions", "Store", "Outbox", "Health"];

    public static void AddDefinitions(IConfigurationSection section, FunnelBuilder builder)
    {
        foreach (var child in section.GetSection("Definitions").GetChildren())
        {
            if (child.Value is { Length: > 0 } path)
            {
                builder.AddJsonDefinitions(path);
                continue;
            }

            var file = child["Path"];
            var json = child["Json"];
            if (file is { Length: > 0 } && json is null)
            {
                builder.AddJsonDefinitions(file);
            }
            else if (json is { Length: > 0 } && file is null)
            {
                builder.AddJsonDefinition(json, child.Path + ":Json");
            }
        }
    }

    public static void Apply(IConfigurationSection section, FunnelHostingOptions options)
    {
        var problems = options.ConfigurationProblems;
        foreach (var child in section.GetChildren())
        {
            if (!Sections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{child.Path}: unknown setting; known: {string.Join(", ", Sections)}.");
            }
        }

        foreach (var child in section.GetSection("Definitions").GetChildren())
        {
            if (child.Value is { Length: > 0 })
            {
                continue;
            }

            var hasPath = child["Path"] is { Length: > 0 };
            var hasJson = child["Json"] is { Length: > 0 };
            if (hasPath == hasJson)
            {
                problems.Add($"{child.Path}: give either Path (a definition file or folder) or Json (the definition text), not {(hasPath ? "both" : "neither")}.");
            }

            Unknown(child, problems, "Path", "Json");
        }

        var store = section.GetSection("Store");
        Unknown(store, problems, "ConnectionString", "CreateSchemaAtStart");
        if (store["ConnectionString"] is { } connectionString)
        {
            options.Store.ConnectionString = connectionString;
        }

        Read(store, "CreateSchemaAtStart", problems, ParseBool, v => options.Store.CreateSchemaAtStart = v);

        var outbox = section.GetSection("Outbox");
        Unknown(outbox, problems, "BatchSize", "PollInterval", "MaxAttempts", "InitialBackoff", "MaxBackoff");
        Read(outbox, "BatchSize", problems, ParseInt, v => options.Outbox.BatchSize = v);
        Read(outbox, "PollInterval", problems, ParseTime, v => options.Outbox.PollInterval = v);
        Read(outbox, "MaxAttempts", problems, ParseInt, v => options.Outbox.MaxAttempts = v);
        Read(outbox, "InitialBackoff", problems, ParseTime, v => options.Outbox.InitialBackoff = v);
        Read(outbox, "MaxBackoff", problems, ParseTime, v => options.Outbox.MaxBackoff = v);

        var health = section.GetSection("Health");
        Unknown(health, problems, "BacklogDegraded", "BacklogUnhealthy", "OldestAgeDegraded", "OldestAgeUnhealthy", "ParkedIsDegraded");
        Read(health, "BacklogDegraded", problems, ParseLong, v => options.Health.BacklogDegraded = v);
        Read(health, "BacklogUnhealthy", problems, ParseLong, v => options.Health.BacklogUnhealthy = v);
        Read(health, "OldestAgeDegraded", problems, ParseTime, v => options.Health.OldestAgeDegraded = v);
        Read(health, "OldestAgeUnhealthy", problems, ParseTime, v => options.Health.OldestAgeUnhealthy = v);
        Read(health, "ParkedIsDegraded", problems, ParseBool, v => options.Health.ParkedIsDegraded = v);
    }

    private static void Unknown(IConfigurationSection section, System.Collections.Immutable.ImmutableArray<string>.Builder problems, params string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{child.Path}: unknown setting; known: {string.Join(", ", known)}.");
            }
        }
    }

    private static void Read<T>(IConfigurationSection section, string key, System.Collections.Immutable.ImmutableArray<string>.Builder problems, Func<string, (bool Ok, T Value, string Expected)> parse, Action<T> set)
    {
        if (section[key] is not { } text)
        {
            return;
        }

        var (ok, value, expected) = parse(text);
        if (ok)
        {
            set(value);
        }
        else
        {
            problems.Add($"{section.Path}:{key}: '{text}' is not {expected}.");
        }
    }

    private static (bool, int, string) ParseInt(string text) =>
        (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v, "a whole number");

    private static (bool, long, string) ParseLong(string text) =>
        (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v, "a whole number");

    private static (bool, bool, string) ParseBool(string text) =>
        (bool.TryParse(text, out var v), v, "true or false");

    private static (bool, TimeSpan, string) ParseTime(string text) =>
        (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var v), v, "a time span such as 00:00:05 (hh:mm:ss)");
}
