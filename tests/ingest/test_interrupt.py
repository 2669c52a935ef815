from __future__ import annotations

import os
import signal

import pytest

from vigil.ingest.interrupt import DeferredInterrupt, checkpoint


def test_the_first_ctrl_c_waits_for_the_batch_boundary_and_a_second_one_does_not():
    with DeferredInterrupt():
        os.kill(os.getpid(), signal.SIGINT)  # delivered to the handler before kill returns to Python code
        checkpoint_reached = True  # no KeyboardInterrupt in the middle of the batch
        with pytest.raises(KeyboardInterrupt):
            checkpoint()
        checkpoint()  # asked once, raised once
        os.kill(os.getpid(), signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)  # the second press: at once
    assert checkpoint_reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
