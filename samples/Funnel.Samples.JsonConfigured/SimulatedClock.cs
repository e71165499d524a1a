namespace Funnel.Samples.JsonConfigured;

/// <summary>A clock the simulation moves forward; registered as the container's TimeProvider.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Set(DateTimeOffset at) => Now = at;
}
