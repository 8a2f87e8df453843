"""SwAV swapped-prediction loss with Sinkhorn-Knopp codes and a shared embedding queue.

Follows self_supervised's SWAV callback (REFERENCE.md 3.5; self_supervised/vision/swav.py
`sinkhorn_knopp`, `_compute_codes`, `lf`), with one numerical change: the global max is taken
off the scores before exp, which cancels in the first normalisation and keeps exp finite.
"""

import torch
import torch.nn.functional as F

# SwAV defaults shared by facebookresearch/swav and self_supervised (REFERENCE.md 3.6).
TEMPERATURE = 0.1
EPSILON = 0.05
SINKHORN_ITERATIONS = 3


@torch.no_grad()
def sinkhorn_codes(scores: torch.Tensor, epsilon: float = EPSILON,
                   iterations: int = SINKHORN_ITERATIONS) -> torch.Tensor:
    """Return soft codes [N, K] (rows sum to 1) for prototype scores [N, K].

    Equipartition: each iteration scales prototype totals to 1/K, then sample totals to 1/N.
    """
    codes = torch.exp((scores - scores.max()) / epsilon).t()  # [K, N]
    n_prototypes, n_samples = codes.shape
    codes /= codes.sum()
    for _ in range(iterations):
        codes *= (1.0 / n_prototypes) / codes.sum(dim=1, keepdim=True)
        codes *= (1.0 / n_samples) / codes.sum(dim=0, keepdim=True)
    return (codes / codes.sum(dim=0, keepdim=True)).t()


class EmbeddingQueue:
    """Ring buffer of past crop-0 embeddings [length, dim], random unit rows at the start.

    self_supervised fills it every training step from step 1 and only reads it once the run is
    past queue_start_pct; length must be a multiple of the batch size.
    """

    def __init__(self, length: int, dim: int, generator: torch.Generator):
        self.rows = F.normalize(torch.randn(length, dim, generator=generator), dim=1)
        self.pointer = 0

    @torch.no_grad()
    def push(self, embedding: torch.Tensor) -> None:
        """Overwrite the oldest len(embedding) rows with embedding [B, dim] (mutates self.rows)."""
        batch = embedding.shape[0]
        assert self.rows.shape[0] % batch == 0, (
            f"EmbeddingQueue.push: length {self.rows.shape[0]} is not a multiple of batch {batch}"
        )
        self.rows[self.pointer:self.pointer + batch] = embedding.detach()
        self.pointer = (self.pointer + batch) % self.rows.shape[0]


def swapped_prediction_loss(scores: torch.Tensor, batch: int, n_views: int,
                            queue_scores: torch.Tensor = None, assign_views=(0, 1),
                            temperature: float = TEMPERATURE) -> torch.Tensor:
    """Return the scalar SwAV loss for scores [n_views * batch, K], views stacked view-major.

    Codes come from each view in assign_views (under no_grad; with queue_scores [L, K] appended
    after the batch when given, keeping the batch rows); every other view predicts them.
    """
    assert scores.shape[0] == n_views * batch, (
        f"swapped_prediction_loss: scores {tuple(scores.shape)} for {n_views} views of {batch}"
    )
    log_probs = [
        F.log_softmax(scores[v * batch:(v + 1) * batch] / temperature, dim=1)
        for v in range(n_views)
    ]
    loss = scores.new_zeros(())
    for view in assign_views:
        view_scores = scores[view * batch:(view + 1) * batch].detach()
        if queue_scores is not None:
            view_scores = torch.cat([view_scores, queue_scores.detach()])
        codes = sinkhorn_codes(view_scores)[:batch]
        cross = [(codes * log_probs[v]).sum(dim=1).mean() for v in range(n_views)]
        # self_supervised drops t[i][i] with i the position in assign_views; we drop the view
        # itself, which is the same for assign_views = (0, 1) and right for any other choice.
        swapped = sum(cross[v] for v in range(n_views) if v != view)
        loss = loss - swapped / (n_views - 1) / len(assign_views)
    return loss
