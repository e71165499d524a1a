using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>
/// One counter per (row, stage, slot): a single increment per event, from which the transition matrix, the losses,
/// the stays and the entity count are all derived afterwards. Used while the table is small.
/// </summary>
internal readonly struct JointCounter(long[] counts, int stages, int slots) : IEventCounter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(int row, int stage, int slot, int isLoss)
    {
        unchecked
        {
            counts[(((row * stages) + stage) * slots) + slot]++;
        }
    }
}
