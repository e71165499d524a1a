using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Funnel.Core.Telemetry;

namespace Funnel.Telemetry.Tests;

/// <summary>
/// A <see cref="MeterListener"/> on every <c>Funnel</c> meter that keeps one funnel's measurements with the scope of the
/// meter they were recorded on (the <see cref="IMeterFactory"/> that created it, or <see langword="null"/> for the
/// static meter), so a test can tell which meter counted what. Linked into the test projects that need it.
/// </summary>
internal sealed class RuleMeasurements : IDisposable
{
    private readonly string _funnel;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(object? Scope, string Instrument)> _measurements = new();

    /// <summary>Starts listening.</summary>
    /// <param name="funnel">The funnel key (the <c>funnel</c> tag) to keep; tests running in parallel use their own.</param>
    public RuleMeasurements(string funnel)
    {
        _funnel = funnel;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FunnelTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.Start();
    }

    /// <summary>Counts the measurements of an instrument on the meters of a scope.</summary>
    /// <param name="scope">The meter factory; <see langword="null"/> for the static meter.</param>
    /// <param name="instrument">The instrument name.</param>
    /// <returns>How many measurements were recorded.</returns>
    public int Count(object? scope, string instrument) =>
        _measurements.Count(m => ReferenceEquals(m.Scope, scope) && m.Instrument == instrument);

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "funnel" && _funnel.Equals(tag.Value))
            {
                _measurements.Enqueue((instrument.Meter.Scope, instrument.Name));
            }
        }
    }
}
