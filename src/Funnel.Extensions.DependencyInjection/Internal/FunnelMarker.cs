namespace Funnel.Extensions.DependencyInjection.Internal;

/// <summary>Registered once by AddFunnel, so that a second call adds no services twice.</summary>
internal sealed class FunnelMarker;
