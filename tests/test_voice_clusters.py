"""Two voices or one from voice embeddings (the clustering step of the diarization)."""

from __future__ import annotations

import numpy as np

from coaching.speakers.clusters import cluster_voices


def voices(similarity: float, count: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy unit embeddings around two centres at ``similarity`` cosine, alternating."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=192)
    a /= np.linalg.norm(a)
    b = rng.normal(size=192)
    b -= (b @ a) * a
    b /= np.linalg.norm(b)
    b = similarity * a + np.sqrt(1 - similarity**2) * b
    points = np.stack([(a, b)[i % 2] + 0.03 * rng.normal(size=192) for i in range(count)])
    return points / np.linalg.norm(points, axis=1, keepdims=True), np.full(count, 2.0)


def test_two_people_are_two_voices_confidently():
    clusters = cluster_voices(*voices(0.5))
    assert clusters.voices == 2 and clusters.confidence > 0.9
    assert len(set(clusters.labels[::2])) == 1 and set(clusters.labels[::2]) != set(
        clusters.labels[1::2]
    )


def test_one_person_is_one_voice():
    clusters = cluster_voices(*voices(0.9))
    assert clusters.voices == 1 and clusters.confidence > 0.9
    assert not clusters.labels.any()


def test_close_voices_are_two_only_when_the_chunks_hold_two_people():
    close = voices(0.66)
    assert cluster_voices(*close).voices == 1
    heard = cluster_voices(*close, two_local_share=0.8)
    assert heard.voices == 2 and heard.confidence > 0.5
