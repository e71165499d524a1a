namespace Funnel.Core.Bulk;

/// <summary>Counts one event by (previous-event row, stage, loss-reason slot). Structs, so that the kernel inlines the call.</summary>
internal interface IEventCounter
{
    void Count(int row, int stage, int slot, int isLoss);
}
