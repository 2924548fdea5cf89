#!/usr/bin/env python3
"""almanac serve on a copy of the example site (into /dev/shm): for N changed data rows (a
deployment's status), the wall time from the write to the browser being told to reload, and the
CPU time (user + system, from /proc/PID/stat) the serve process spent around it; medians.
A CPU time well above the wall time's share of the cores says the rebuild leaves cores idle.

usage: benches/serve_cpu.py PATH/TO/almanac N   (run from the repository root; Linux only)
"""
import os, shutil, subprocess, sys, time, urllib.request, tempfile
BIN=os.path.abspath(sys.argv[1]); N=int(sys.argv[2])
tmp=tempfile.mkdtemp(prefix="alm-prof-", dir="/dev/shm"); root=os.path.join(tmp,"r"); os.mkdir(root)
shutil.copy("almanac.toml", root)
for d in ["data","content","themes"]:
    if os.path.isdir(d): shutil.copytree(d, os.path.join(root,d))
log=open(os.path.join(tmp,"log"),"w+")
proc=subprocess.Popen([BIN,"serve","--port","0","--root",root],stdout=subprocess.PIPE,stderr=log,text=True)
url=proc.stdout.readline().split("at ")[1].split()[0]
poll=lambda v: urllib.request.urlopen(f"{url}__almanac/reload?v={v}",timeout=120).read().decode()
v=int(poll(0)); time.sleep(1)
def cpu():
    f=open(f"/proc/{proc.pid}/stat").read().split(")")[1].split(); return (int(f[11])+int(f[12]))*10  # ms
p=os.path.join(root,"data/deployments.csv"); res=[]
for i in range(N):
    rows=open(p).read().split("\n")
    a,b=("success","rolled_back") if i%2==0 else ("rolled_back","success")
    rows[1]=rows[1].replace(f",{a},",f",{b},"); text="\n".join(rows)
    time.sleep(0.5); c0=cpu(); t=time.perf_counter(); open(p,"w").write(text); v=int(poll(v)); w=(time.perf_counter()-t)*1000; time.sleep(0.3); c1=cpu()
    res.append((w,c1-c0))
proc.kill(); proc.wait()
import statistics
print("wall median %.1f ms, cpu median %.1f ms" % (statistics.median([r[0] for r in res]), statistics.median([r[1] for r in res])))
shutil.rmtree(tmp)
