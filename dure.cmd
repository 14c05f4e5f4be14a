@echo off
rem Runs Dure on Windows: dure [--data DIR] [--port N] | dure COMMAND ... | dure --help
rem Needs a JDK 21+ (JAVA_HOME, or java on PATH) and, for the first build, Maven (mvn).
rem Builds web-ui\target\dure.jar when it is missing, or when DURE_REBUILD=1.
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%web-ui\target\dure.jar"

set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"

"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo Dure needs a JDK 21 or newer: set JAVA_HOME or put java on PATH. 1>&2
  exit /b 1
)

set "BUILD="
if not exist "%JAR%" set "BUILD=1"
if "%DURE_REBUILD%"=="1" set "BUILD=1"
if defined BUILD (
  echo Building Dure... 1>&2
  pushd "%ROOT%"
  call mvn -B -q -DskipTests -Dspotless.check.skip=true -pl web-ui -am package 1>&2
  if errorlevel 1 (
    popd
    echo dure: the build failed ^(see above^). 1>&2
    exit /b 1
  )
  popd
)

rem The server (no command given) is restarted if the JVM dies in native code: Automerge aborts
rem the process on some crafted input (exit code 3 for abort(), 0xC0000409 for a fail-fast abort,
rem 0xC0000005 for an access violation; 134 as on POSIX), and on restart the store quarantines
rem what was in native code and blocks the sender of that input. At most 5 restarts in 10 minutes,
rem as ./dure.
set "DATADIR=%USERPROFILE%\.dure"
set "SERVER=1"
call :scan %*
set /a RESTARTS=0
set "WINDOW_START="

:run
"%JAVA%" %DURE_JAVA_OPTS% -jar "%JAR%" %*
set "STATUS=%ERRORLEVEL%"
if not defined SERVER exit /b %STATUS%
if "%STATUS%"=="3" goto restart
if "%STATUS%"=="134" goto restart
if "%STATUS%"=="-1073740791" goto restart
if "%STATUS%"=="-1073741819" goto restart
exit /b %STATUS%

:restart
rem Tell the next start that the JVM died in native code (see ./dure); also after the last crash
rem allowed, so that starting Dure by hand later still quarantines what crashed it.
if exist "%DATADIR%\" type nul > "%DATADIR%\native-crash"
rem Seconds since 2020 (set /a is 32-bit): the window restarts 10 minutes after its first crash.
set "NOW="
for /f "usebackq delims=" %%t in (`powershell -NoProfile -NonInteractive -Command "[DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 1577836800" 2^>nul`) do set "NOW=%%t"
if not defined NOW goto count
if not defined WINDOW_START set "WINDOW_START=%NOW%"
set /a ELAPSED=NOW-WINDOW_START
if %ELAPSED% GTR 600 (
  set /a RESTARTS=0
  set "WINDOW_START=%NOW%"
)
:count
set /a RESTARTS+=1
if %RESTARTS% GTR 5 (
  echo dure: Dure crashed 6 times in 10 minutes; not restarting. See the log above. 1>&2
  echo dure: the next start quarantines what was being processed at the last crash. 1>&2
  exit /b %STATUS%
)
echo dure: Dure stopped unexpectedly ^(exit status %STATUS%^); restarting in 2 s. 1>&2
timeout /t 2 /nobreak >nul
goto run

rem Reads the arguments as ./dure does: the data directory (--data DIR or --data=DIR, anywhere;
rem cmd splits an unquoted --data=DIR into two arguments, a quoted one arrives whole) and whether
rem this runs the server (options only) or a command (a first word that is not an option).
:scan
if "%~1"=="" goto :eof
set "ARG=%~1"
if "%ARG:~0,7%"=="--data=" (
  set "DATADIR=%ARG:~7%"
  shift
  goto scan
)
if "%ARG%"=="--data" goto scanvalue
if "%ARG%"=="--port" goto scanvalue
if "%ARG%"=="--p2p-port" goto scanvalue
if "%ARG%"=="--listen" goto scanvalue
if "%ARG%"=="--bootstrap" goto scanvalue
if "%ARG%"=="-h" goto command
if "%ARG%"=="--help" goto command
if "%ARG%"=="--version" goto command
rem cmd also splits at commas: the rest of a --listen list (multiaddresses start with /).
if "%ARG:~0,1%"=="-" goto scannext
if "%ARG:~0,1%"=="/" goto scannext
:command
set "SERVER="
goto :eof
:scannext
shift
goto scan
:scanvalue
if "%ARG%"=="--data" if not "%~2"=="" set "DATADIR=%~2"
shift
shift
goto scan
