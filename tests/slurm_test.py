"""The campaign's Slurm recipe, for real: a single-node Slurm (Debian's slurm-wlm,
with its own munge) is started on this machine in build/tests/slurm, the
two-shard job array of faultinject/host/campaign.sbatch is submitted as the
docs say, the shards are merged, and the result must be the campaign run on
this machine in one go: the same experiments, faults and outcomes. Everything
is the test's own (key, socket, ports, state), so a machine's real Slurm and
munge, if any, are left alone; the daemons are stopped at the end."""
import getpass
import json
import os
import shutil
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DIR = os.path.join(ROOT, "build", "tests", "slurm")
PORTS = (16817, 16818)              # slurmctld, slurmd: apart from a real Slurm's 6817/6818

CONF = """ClusterName=resurgo-test
SlurmctldHost={host}(127.0.0.1)
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={dir}/munge/socket
SlurmctldPort={ports[0]}
SlurmdPort={ports[1]}
StateSaveLocation={dir}/state
SlurmdSpoolDir={dir}/spool
SlurmctldPidFile={dir}/slurmctld.pid
SlurmdPidFile={dir}/slurmd.pid
SlurmctldLogFile={dir}/slurmctld.log
SlurmdLogFile={dir}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=campaign Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


class LocalSlurm:
    """munged, slurmctld and slurmd of this test, started and stopped."""

    def __enter__(self):
        shutil.rmtree(DIR, ignore_errors=True)
        for d in ("state", "spool", "munge", "key"):
            os.makedirs(os.path.join(DIR, d))
        os.chmod(os.path.join(DIR, "key"), 0o700)
        key = os.path.join(DIR, "key", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o600)
        self.env = dict(os.environ, SLURM_CONF=os.path.join(DIR, "slurm.conf"))
        with open(self.env["SLURM_CONF"], "w") as f:
            f.write(CONF.format(host=socket.gethostname().split(".")[0], user=getpass.getuser(),
                                dir=DIR, ports=PORTS, cpus=os.cpu_count() or 1))
        m = os.path.join(DIR, "munge")
        self.run(["munged", "--force", f"--socket={m}/socket", f"--key-file={key}",
                  f"--log-file={DIR}/munged.log", f"--pid-file={m}/pid", f"--seed-file={m}/seed"])
        self.run(["slurmctld", "-i"])
        self.run(["slurmd"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = self.run(["sinfo", "-h", "-o", "%T"], check=False).stdout.strip()
            if state == "idle":
                return self
            time.sleep(0.5)
        raise RuntimeError(f"the test's Slurm node never became idle (sinfo: {state!r}); "
                           f"see {DIR}/slurmctld.log and slurmd.log")

    def run(self, argv, check=True, timeout=60):
        p = subprocess.run(argv, env=self.env, cwd=ROOT, capture_output=True, text=True,
                           timeout=timeout)
        if check and p.returncode:
            raise RuntimeError(f"{' '.join(argv)}: {p.stderr.strip() or p.stdout.strip()}")
        return p

    def __exit__(self, *exc):
        for pid_file in ("slurmd.pid", "slurmctld.pid"):
            try:
                with open(os.path.join(DIR, pid_file)) as f:
                    os.kill(int(f.read()), 15)
            except (OSError, ValueError):
                pass
        self.run(["munged", "--stop", f"--socket={DIR}/munge/socket"], check=False)
        return False


def slurm_shards_merge(campaign_args, whole_dir, merged_dir):
    """Runs the campaign as a two-task Slurm array, merges it into merged_dir and
    compares it with the campaign in whole_dir; None, or what differs."""
    missing = [t for t in ("munged", "slurmctld", "slurmd", "sbatch") if not shutil.which(t)]
    if missing:
        return f"{', '.join(missing)} not installed (make deps installs slurm-wlm and munge)"
    try:
        with LocalSlurm() as slurm:
            env = dict(slurm.env, CAMPAIGN_SHARDS=DIR)
            p = subprocess.run(["sbatch", "--wait", "--array=0-1", "--cpus-per-task=1",
                                f"--output={DIR}/shard%a.out",
                                "faultinject/host/campaign.sbatch"] + campaign_args,
                               env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
            if p.returncode:
                outs = [open(os.path.join(DIR, f"shard{i}.out")).read()[-300:] for i in (0, 1)
                        if os.path.exists(os.path.join(DIR, f"shard{i}.out"))]
                return f"the job array failed: {p.stderr.strip()} {outs}"
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return str(e)
    merge = subprocess.run(["python3", "faultinject/host/campaign.py", "--merge",
                            f"{DIR}/shard0", f"{DIR}/shard1", "--out", merged_dir],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    if merge.returncode:
        return f"merge failed: {merge.stderr.strip()}"

    def rows(d):
        with open(os.path.join(d, "results.json")) as f:
            return [(r["experiment"], r["seed"], r["type"], r["location"], r["outcome"])
                    for r in json.load(f)["experiments"]]
    got, want = rows(merged_dir), rows(whole_dir)
    if got != want:
        diff = next((a, b) for a, b in zip(got + [None] * len(want), want) if a != b)
        return f"the Slurm campaign differs from the local one: {diff[0]} vs {diff[1]}"
    return None
