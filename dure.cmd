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
rem the process on some crafted input (exit code 3, or 0xC0000409 for a fail-fast abort), and on
rem restart the store quarantines that input and blocks its sender. At most 5 restarts.
set "SERVER="
if "%~1"=="" set "SERVER=1"
if "%~1"=="--data" set "SERVER=1"
if "%~1"=="--port" set "SERVER=1"
if "%~1"=="--p2p-port" set "SERVER=1"
if "%~1"=="--listen" set "SERVER=1"
if "%~1"=="--headless" set "SERVER=1"
set /a RESTARTS=0
set "DATADIR=%USERPROFILE%\.dure"
if "%~1"=="--data" set "DATADIR=%~2"

:run
"%JAVA%" %DURE_JAVA_OPTS% -jar "%JAR%" %*
set "STATUS=%ERRORLEVEL%"
if not defined SERVER exit /b %STATUS%
if "%STATUS%"=="3" goto restart
if "%STATUS%"=="134" goto restart
if "%STATUS%"=="-1073740791" goto restart
exit /b %STATUS%

:restart
rem Tell the restarted store that the JVM died in native code (see ./dure).
if exist "%DATADIR%\" type nul > "%DATADIR%\native-crash"
set /a RESTARTS+=1
if %RESTARTS% GTR 5 (
  echo dure: Dure crashed 5 times; not restarting. See the log above. 1>&2
  exit /b %STATUS%
)
echo dure: Dure stopped unexpectedly ^(exit status %STATUS%^); restarting in 2 s. 1>&2
timeout /t 2 /nobreak >nul
goto run
